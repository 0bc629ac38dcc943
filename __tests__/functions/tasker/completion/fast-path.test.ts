/** How long the fast path waits within the invocation's time budget. */
import { completeOnFastPath, fastPathWaitSeconds } from '../../../../functions/tasker/completion/fast-path';

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

jest.mock('../../../../functions/tasker/completion/complete-statement', () => ({ completeStatement: jest.fn(async () => 'completed') }));

describe('fast path completion', () => {
  // The completion itself (claim, callback) is tested in complete-statement and the e2e flows; here: what it is given.
  const { completeStatement } = jest.requireMock('../../../../functions/tasker/completion/complete-statement') as {
    completeStatement: jest.Mock;
  };
  const ctx = {
    dataApi: {
      describe: async () => ({
        Id: 's-1',
        Status: 'FINISHED',
        ResultRows: 3,
        RedshiftQueryId: 42,
        UpdatedAt: new Date('2026-01-01T00:00:00Z'),
      }),
    },
  } as never;
  const args = {
    key: 'k',
    statementName: 'sfnrs-k',
    statementId: 's-1',
    waitSeconds: 1,
    logContext: {},
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f',
  };
  const restore = { ...process.env };
  afterEach(() => {
    process.env = { ...restore };
    completeStatement.mockClear();
  });

  it("carries detail.principal from TASKER_PRINCIPAL, so its detail has the status event's keys", async () => {
    process.env.TASKER_PRINCIPAL = 'arn:aws:sts::111122223333:assumed-role/etl-role/f';
    await completeOnFastPath(ctx, args);
    const { change } = completeStatement.mock.calls[0][1] as { change: { event: { detail: Record<string, unknown> } } };
    expect(change.event.detail.principal).toBe('arn:aws:sts::111122223333:assumed-role/etl-role/f');
    // The keys of the event's detail (EventBridge's "Redshift Data Statement Status Change"), in its order.
    expect(Object.keys(change.event.detail)).toEqual([
      'principal',
      'statementName',
      'statementId',
      'redshiftQueryId',
      'state',
      'rows',
      'expireAt',
    ]);
  });

  it('leaves principal out when the deployment does not set it', async () => {
    delete process.env.TASKER_PRINCIPAL;
    await completeOnFastPath(ctx, args);
    const { change } = completeStatement.mock.calls[0][1] as { change: { event: { detail: Record<string, unknown> } } };
    expect(change.event.detail).not.toHaveProperty('principal');
  });
});
