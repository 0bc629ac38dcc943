/** Idempotency keys derived from the task: the same task gives the same key. */
import { idempotencyKeyFor } from '../../../../functions/tasker/input/idempotency';
import { parseInvocation, type StartInvocation } from '../../../../functions/tasker/input/invocation-schema';

describe('idempotency keys', () => {
  const start = (payload: Record<string, unknown>) => parseInvocation(payload) as StartInvocation;
  const arn = 'arn:aws:states:us-east-1:123456789012:execution:sm:run';
  it('the same task gives the same key; another token or state entry another', () => {
    const a = idempotencyKeyFor(start({ sqlStatement: 'x', taskToken: 't1', executionArn: arn }));
    expect(idempotencyKeyFor(start({ sqlStatement: 'x', taskToken: 't1', executionArn: arn }))).toBe(a);
    expect(idempotencyKeyFor(start({ sqlStatement: 'x', taskToken: 't2', executionArn: arn }))).not.toBe(a);
    const entered = { sqlStatement: 'x', executionArn: arn, stateEnteredTime: '2026-01-01T00:00:00Z' };
    expect(idempotencyKeyFor(start(entered))).toBe(idempotencyKeyFor(start(entered)));
    expect(idempotencyKeyFor(start({ ...entered, stateEnteredTime: '2026-01-01T00:00:01Z' }))).not.toBe(idempotencyKeyFor(start(entered)));
  });
  it('without anything to derive from, every call gets a fresh key', () => {
    expect(idempotencyKeyFor(start({ sqlStatement: 'x' }))).not.toBe(idempotencyKeyFor(start({ sqlStatement: 'x' })));
  });
});
