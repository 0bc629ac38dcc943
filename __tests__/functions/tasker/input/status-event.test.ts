/** Parsing the Redshift Data status-change event out of an SQS message body. */
import { parseStatusEvent } from '../../../../functions/tasker/input/status-event';

describe('status events', () => {
  const event = {
    source: 'aws.redshift-data',
    'detail-type': 'Redshift Data Statement Status Change',
    time: 't',
    detail: { statementId: 'id', statementName: 'n', state: 'FINISHED', rows: 2 },
  };
  it('parses a terminal event', () => {
    expect(parseStatusEvent(JSON.stringify(event))).toMatchObject({ statementId: 'id', statementName: 'n', state: 'FINISHED', rows: 2 });
  });
  it.each([
    ['not json', /not JSON/],
    [JSON.stringify({ ...event, source: 'aws.s3' }), /not a Redshift Data/],
    [JSON.stringify({ ...event, detail: { ...event.detail, state: 'STARTED' } }), /detail.state/],
    [JSON.stringify({ ...event, detail: { state: 'FINISHED' } }), /statementId/],
  ])('rejects %s', (body, message) => {
    expect(() => parseStatusEvent(body)).toThrow(message);
  });
});
