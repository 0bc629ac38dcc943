import { checkFaultWindow, isInWindow } from '../../local/fault-window';

describe('fault windows', () => {
  it('covers from (inclusive) to until (exclusive), or what a function of the elapsed time says', () => {
    const window = { fromMs: 5_000, untilMs: 35_000 };
    expect([4_999, 5_000, 34_999, 35_000].map((t) => isInWindow(window, t))).toEqual([false, true, true, false]);
    expect(isInWindow((t) => t % 2 === 0, 4)).toBe(true);
    expect(isInWindow((t) => t % 2 === 0, 3)).toBe(false);
  });

  it('names a window that is not one', () => {
    expect(() => checkFaultWindow({ fromMs: 10, untilMs: 5 }, 'caller')).toThrow(/^caller: the window/);
    expect(() => checkFaultWindow({ fromMs: -1, untilMs: 5 }, 'caller')).toThrow(/caller/);
    expect(() => checkFaultWindow({ fromMs: 0 } as never, 'caller')).toThrow(/caller/);
    expect(() => checkFaultWindow(() => false, 'caller')).not.toThrow();
  });
});
