import { readResultSet } from '../../../examples/state-machines';
import { expectValidAsl, payloadOf, sqlStates, TASKER_ARN } from './support';

describe('readResultSet', () => {
  it('keeps the completion event at $.statement and reads the LATEST result into $.result', () => {
    const machine = readResultSet(TASKER_ARN);
    expectValidAsl(machine);
    const [query] = sqlStates(machine);
    expect(query.state).toMatchObject({ ResultPath: '$.statement', Next: 'Read result' });
    const read = machine.States['Read result'];
    expect(read).toMatchObject({ ResultPath: '$.result', ResultSelector: { 'Payload.$': '$.Payload' }, End: true });
    expect(payloadOf(read)).toEqual({ action: 'getStatementResult', statementId: 'LATEST', 'executionArn.$': '$$.Execution.Id' });
  });
});
