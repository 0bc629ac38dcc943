import { STATUS_EVENT } from '../../functions/shared/contract';
import { matchesStatementStatusEvent, statementStatusEventPattern } from '../../modules/event-pattern';

const event = (statementName: string, state: string, overrides: Record<string, unknown> = {}) => ({
  version: '0',
  source: STATUS_EVENT.SOURCE,
  'detail-type': STATUS_EVENT.DETAIL_TYPE,
  detail: { principal: 'arn:aws:sts::1:assumed-role/r/s', statementName, statementId: 'id', state, rows: 1 },
  ...overrides,
});

describe('statementStatusEventPattern', () => {
  const pattern = statementStatusEventPattern('sfnrs-etl-');

  test('narrows to terminal status changes of statements with the prefix', () => {
    expect(pattern).toEqual({
      source: ['aws.redshift-data'],
      'detail-type': ['Redshift Data Statement Status Change'],
      detail: { statementName: [{ prefix: 'sfnrs-etl-' }], state: ['FINISHED', 'FAILED', 'ABORTED'] },
    });
  });

  test.each(['FINISHED', 'FAILED', 'ABORTED'])('matches a %s event of this tasker', (state) => {
    expect(matchesStatementStatusEvent(pattern, event('sfnrs-etl-abc', state))).toBe(true);
  });

  test('ignores other statements, other states, other sources and malformed events', () => {
    expect(matchesStatementStatusEvent(pattern, event('other-tool-1', 'FINISHED'))).toBe(false);
    expect(matchesStatementStatusEvent(pattern, event('sfnrs-etl2-x', 'FINISHED'))).toBe(false);
    expect(matchesStatementStatusEvent(pattern, event('sfnrs-etl-abc', 'STARTED'))).toBe(false);
    expect(matchesStatementStatusEvent(pattern, event('sfnrs-etl-abc', 'FINISHED', { source: 'aws.events' }))).toBe(false);
    expect(matchesStatementStatusEvent(pattern, event('sfnrs-etl-abc', 'FINISHED', { detail: null }))).toBe(false);
    expect(matchesStatementStatusEvent(pattern, null)).toBe(false);
    expect(matchesStatementStatusEvent(pattern, { ...event('x', 'FINISHED'), detail: { state: 'FINISHED' } })).toBe(false);
  });
});
