/** Statement names carry the idempotency key behind the tasker's prefix. */
import { clientTokenFor, keyFromStatementName, statementNameFor } from '../../../../functions/tasker/platform/statement-name';

describe('statement names', () => {
  it('names round-trip through the prefix and foreign names give no key', () => {
    const key = 'a'.repeat(64);
    expect(keyFromStatementName('p-', statementNameFor('p-', key))).toBe(key);
    expect(keyFromStatementName('p-', `q-${key}`)).toBeUndefined();
    expect(keyFromStatementName('p-', 'p-short')).toBeUndefined();
    expect(keyFromStatementName('p-', undefined)).toBeUndefined();
    expect(() => statementNameFor('x'.repeat(437), key)).toThrow(/500/);
  });
  it('the client token is the key, within the Data API limit of 64 characters', () => {
    const key = 'b'.repeat(64);
    expect(clientTokenFor(key)).toBe(key);
    expect(clientTokenFor(`${key}extra`)).toHaveLength(64);
  });
});
