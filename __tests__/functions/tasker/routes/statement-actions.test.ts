import { EXECUTION_ARN, taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

describe('describeStatement, cancelStatement, getStatementResult', () => {
  const h = useHandlerHarness();

  it('LATEST finds the newest statement of the execution', async () => {
    await h.invoke(taskPayload({ stateName: 'One' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await h.invoke(taskPayload({ stateName: 'Two' }));
    await h.invoke(taskPayload({ executionArn: `${EXECUTION_ARN}-other`, stateName: 'Elsewhere' }));
    const described = await h.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN });
    expect(described).toMatchObject({ Id: second.Id, Status: 'STARTED', QueryString: 'select 1' });
    expect(typeof described.CreatedAt).toBe('string');
    expect(described.$metadata).toBeUndefined();
  });

  it('LATEST with no statement for the execution → PreviousExecutionNotFound', async () => {
    await h.invoke(taskPayload());
    await expect(
      h.invoke({ action: 'cancelStatement', statementId: 'LATEST', executionArn: `${EXECUTION_ARN}-never` }),
    ).rejects.toMatchObject({ name: 'PreviousExecutionNotFound' });
    expect(h.data.calls.map((call) => call.operation)).toEqual(['ExecuteStatement']);
  });

  it('cancelStatement answers the Data API shape and the statement ends ABORTED', async () => {
    const { Id } = await h.invoke(taskPayload());
    expect(await h.invoke({ action: 'cancelStatement', statementId: Id })).toEqual({ Status: true });
    expect(h.data.statements.get(Id)?.Status).toBe('ABORTED');
  });

  it('getStatementResult passes nextToken through, page by page', async () => {
    const { Id } = await h.invoke({ sqlStatement: 'select n from t', executionArn: EXECUTION_ARN });
    h.data.setResult(Id, [1, 2, 3, 4, 5], 2);
    const pages: number[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.invoke({
        action: 'getStatementResult',
        statementId: 'LATEST',
        executionArn: EXECUTION_ARN,
        ...(nextToken ? { nextToken } : {}),
      });
      pages.push(page.Records.map((record: { longValue: number }[]) => record[0].longValue));
      nextToken = page.NextToken;
    } while (nextToken);
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
    expect(h.data.calls.filter((call) => call.operation === 'GetStatementResult').map((call) => call.body.NextToken)).toEqual([
      undefined,
      'page-2',
      'page-4',
    ]);
  });

  it('Data API errors keep their names (a state can Catch them)', async () => {
    await expect(h.invoke({ action: 'describeStatement', statementId: '00000000-0000-0000-0000-000000000000' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
