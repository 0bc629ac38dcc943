/** How long the fast path waits within the invocation's time budget. */
import { fastPathWaitSeconds } from '../../../functions/tasker/fast-path';

describe('fast path wait', () => {
  const budget = (ms: number) => ({ getRemainingTimeInMillis: () => ms });
  it('waits the setting when the invocation has time, less when it has not, never below 0', () => {
    expect(fastPathWaitSeconds(2, budget(60_000))).toBe(2);
    expect(fastPathWaitSeconds(2, undefined)).toBe(2);
    // 2.5 s left keeps a 0.5 s margin: 2 s usable.
    expect(fastPathWaitSeconds(5, budget(2_500))).toBe(2);
    expect(fastPathWaitSeconds(5, budget(900))).toBe(0);
    expect(fastPathWaitSeconds(0, budget(60_000))).toBe(0);
  });
});
