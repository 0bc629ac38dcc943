/** Idempotency keys derived from the task, and the statement names that carry them. */
import { idempotencyKeyFor, keyFromStatementName, statementNameFor } from '../../../functions/tasker/idempotency';
import { parseInvocation, type StartInvocation } from '../../../functions/tasker/invocation-schema';

describe('idempotency keys and statement names', () => {
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
  it('names round-trip through the prefix and foreign names give no key', () => {
    const key = 'a'.repeat(64);
    expect(keyFromStatementName('p-', statementNameFor('p-', key))).toBe(key);
    expect(keyFromStatementName('p-', 'q-' + key)).toBeUndefined();
    expect(keyFromStatementName('p-', 'p-short')).toBeUndefined();
    expect(keyFromStatementName('p-', undefined)).toBeUndefined();
    expect(() => statementNameFor('x'.repeat(437), key)).toThrow(/500/);
  });
});
