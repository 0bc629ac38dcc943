import { createKitClock, KitClockError, kitDate } from '../../local/clock';

describe('kit clock', () => {
  it('runs timeScale times faster than wall time, from the moment it was made', async () => {
    let wall = 1_000_000;
    const clock = createKitClock(60, () => wall);
    wall += 1_000;
    expect(clock.elapsed()).toBe(60_000);
    expect(clock.now()).toBe(1_000_000 + 60_000);
    expect(clock.toWallMs(60_000)).toBe(1_000);
  });

  it('sleeps kit time, and an abort ends the sleep early', async () => {
    const clock = createKitClock(1_000);
    const started = Date.now();
    expect(await clock.sleep(30_000)).toBe(true);
    const wall = Date.now() - started;
    expect(wall).toBeGreaterThanOrEqual(25);
    expect(wall).toBeLessThan(1_000);
    const abort = new AbortController();
    const sleeping = clock.sleep(3_600_000, abort.signal);
    abort.abort();
    expect(await sleeping).toBe(false);
  });

  it('gives the handler a Date on kit time: new Date() and Date.now() move faster; the rest is the real Date', async () => {
    const clock = createKitClock(3_600);
    const KitDate = kitDate(clock);
    const before = new KitDate().getTime();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(KitDate.now() - before).toBeGreaterThanOrEqual(150_000); // 50 ms wall = 3 kit minutes
    expect(new KitDate(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new KitDate() instanceof Date).toBe(true);
    expect(KitDate.parse('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
  });

  it("steps forward with advance: now(), elapsed() and the handler's Date jump at once, at any timeScale", () => {
    let wall = 5_000_000;
    const clock = createKitClock(1, () => wall);
    const KitDate = kitDate(clock);
    clock.advance(31_000);
    expect(clock.elapsed()).toBe(31_000);
    expect(KitDate.now()).toBe(5_031_000);
    wall += 1_000;
    expect(new KitDate().getTime()).toBe(5_032_000);
    expect(() => clock.advance(-1)).toThrow(KitClockError);
  });

  it('names a bad timeScale', () => {
    expect(() => createKitClock(0)).toThrow(KitClockError);
    expect(() => createKitClock(Number.NaN)).toThrow(/timeScale must be a positive number/);
  });
});
