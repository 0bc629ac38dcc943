/** Cutting text to the callback limits. */
import { LIMITS } from '../../../../functions/shared/contract';
import { truncateBytes, truncateChars } from '../../../../functions/tasker/platform/truncate';

describe('truncation to the callback limits', () => {
  it('cuts characters and bytes with a marker, leaving short text alone', () => {
    expect(truncateChars('abc', 5)).toBe('abc');
    expect(truncateChars('x'.repeat(300), LIMITS.SEND_TASK_FAILURE_ERROR_MAX)).toHaveLength(256);
    const cut = truncateBytes('é'.repeat(1000), 101);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(101);
    expect(cut).toMatch(/^é+…\[truncated\]$/);
    // A limit the marker alone exceeds gives nothing rather than too much.
    expect(truncateBytes('abcdefghijklmnopqrstuvwxyz', 5)).toBe('');
  });
});
