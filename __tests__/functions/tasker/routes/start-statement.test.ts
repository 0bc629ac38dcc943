import { ENV } from '../../../../functions/shared/contract';
import { taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

const fail = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );

describe('start: singleton lock', () => {
  const h = useHandlerHarness();

  it('refuses a second run of the same SQL while the first runs, and allows it once the first completes', async () => {
    const first = await h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()' }));
    const refused = await fail(
      h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()', stateName: 'B' })),
    );
    expect(refused.name).toBe('ConcurrentExecution');
    expect(h.data.statements.size).toBe(1);
    // A different SQL text is not blocked, and plain executeStatement never is.
    await h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call other()', stateName: 'C' }));
    const plain = await h.invoke(taskPayload({ sqlStatement: 'call refresh()', stateName: 'D' }));

    const locks = async () => (await h.items()).filter((item) => String(item.pk).startsWith('singleton#')).map((item) => item.owner);
    expect(await locks()).toHaveLength(2);
    await h.deliver([h.data.finish(first.Id, 'FINISHED')]);
    // Only the lock of 'call other()' is left.
    expect(await locks()).toHaveLength(1);
    // The plain statement of the same text still runs: it blocks the singleton too, as the original's did.
    const blocked = await fail(
      h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()', stateName: 'E' })),
    );
    expect(blocked).toMatchObject({ name: 'ConcurrentExecution', message: expect.stringContaining(plain.Id) });
    await h.deliver([h.data.finish(plain.Id, 'FINISHED')]);
    const again = await h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()', stateName: 'F' }));
    expect(again.Id).not.toBe(first.Id);
  });

  it('a running plain statement of the same SQL refuses the singleton: no lock left behind, nothing started', async () => {
    const plain = await h.invoke({ sqlStatement: 'call refresh()' });
    const startsBefore = h.data.calls.length;
    const refused = await fail(h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()' })));
    expect(refused.name).toBe('ConcurrentExecution');
    expect(refused.message).toMatch(new RegExp(`same SQL text \\(sha256 [0-9a-f]{64}\\) is already running: ${plain.Id}$`));
    expect(h.data.calls.slice(startsBefore)).toEqual([]);
    const items = await h.items();
    expect(items.map((item) => item.statementId)).toEqual([plain.Id]);
  });

  it('the check costs a singleton a lock Put and one index Query; a plain statement makes no extra call', async () => {
    let before = h.awsCalls().dynamodb.length;
    await h.invoke(taskPayload({ sqlStatement: 'call one()', stateName: 'Plain' }));
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['PutItem']);
    before = h.awsCalls().dynamodb.length;
    const single = await h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call two()', stateName: 'Single' }));
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['PutItem', 'Query', 'PutItem']);
    before = h.awsCalls().dynamodb.length;
    await h.deliver([h.data.finish(single.Id, 'FINISHED')]);
    // Completion: the claim, the answer recorded, then the lock's release.
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['UpdateItem', 'UpdateItem', 'DeleteItem']);
  });

  it('the same SQL on another database, a finished statement or a failed start does not block', async () => {
    // Another database (a tasker sharing this table through callbackTasker, say).
    h.setEnv({ [ENV.DATABASE]: 'other' });
    await h.invoke({ sqlStatement: 'call refresh()' });
    h.setEnv({ [ENV.DATABASE]: 'dev' });
    // A start the Data API refused leaves a START_FAILED item only.
    h.data.injectError('ExecuteStatement', { name: 'ValidationException', message: 'bad' });
    await fail(h.invoke({ sqlStatement: 'call refresh()' }));
    h.data.clearErrors();
    // A finished one.
    const done = await h.invoke({ sqlStatement: 'call refresh()' });
    await h.deliver([h.data.finish(done.Id, 'FINISHED')]);

    const single = await h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()' }));
    expect(single.Id).toEqual(expect.any(String));
  });

  it('a repeated invocation of the singleton task itself is not refused', async () => {
    const payload = taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()' });
    const first = await h.invoke(payload);
    expect((await h.invoke(payload)).Id).toBe(first.Id);
  });

  it('a repeated singleton invocation is answered even when a plain run of its SQL began since; its lock is kept', async () => {
    const payload = taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()' });
    const first = await h.invoke(payload);
    await h.invoke(taskPayload({ sqlStatement: 'call refresh()', stateName: 'Plain' }));
    expect((await h.invoke(payload)).Id).toBe(first.Id);
    const locks = (await h.items()).filter((item) => String(item.pk).startsWith('singleton#'));
    expect(locks).toHaveLength(1);
    // The lock still serialises: another singleton of the same SQL is refused.
    expect(
      (await fail(h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()', stateName: 'Other' })))).name,
    ).toBe('ConcurrentExecution');
  });

  it('releases the lock when the start fails', async () => {
    h.data.injectError('ExecuteStatement', { name: 'ValidationException', message: 'bad' });
    await fail(h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()' })));
    h.data.clearErrors();
    await h.invoke(taskPayload({ action: 'executeSingletonStatement', sqlStatement: 'call refresh()', stateName: 'B' }));
    expect(h.data.statements.size).toBe(1);
  });
});

describe('start: failures', () => {
  const h = useHandlerHarness();

  it.each([
    ['ThrottlingException', 400],
    ['ActiveStatementsExceededException', 400],
    ['InternalServerException', 500],
  ])('%s → RedshiftDataRetryable, item START_FAILED with a TTL', async (name, status) => {
    h.data.injectError('ExecuteStatement', { name, message: 'try later', status });
    const error = await fail(h.invoke(taskPayload()));
    expect(error.name).toBe('RedshiftDataRetryable');
    expect(error.message).toBe(`${name}: try later`);
    const [item] = await h.items();
    expect(item).toMatchObject({ status: 'START_FAILED', startError: `${name}: try later` });
    expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(item.runningPartition).toBeUndefined();
    expect(item.runningSql).toBeUndefined();
  });

  it.each(['ValidationException', 'ResourceNotFoundException', 'AccessDeniedException'])(
    '%s → RedshiftDataError carrying the Data API error name and message',
    async (name) => {
      h.data.injectError('ExecuteStatement', { name, message: 'no such cluster' });
      const error = await fail(h.invoke(taskPayload()));
      expect(error.name).toBe('RedshiftDataError');
      expect(error.message).toBe(`${name}: no such cluster`);
      expect((await h.items())[0].status).toBe('START_FAILED');
    },
  );

  it('a Retry of the same task after a retryable failure starts the statement and replaces the START_FAILED item', async () => {
    const payload = taskPayload();
    h.data.injectError('ExecuteStatement', { name: 'ThrottlingException', message: 'slow down' });
    await fail(h.invoke(payload));
    h.data.clearErrors();
    const started = await h.invoke(payload);
    const items = await h.items();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'RUNNING', statementId: started.Id, runningPartition: 'RUNNING' });
    expect(items[0].expiresAt).toBeUndefined();
  });

  it('LATEST skips START_FAILED calls', async () => {
    const ok = await h.invoke(taskPayload({ stateName: 'First' }));
    h.data.injectError('ExecuteStatement', { name: 'ValidationException', message: 'bad' });
    await fail(h.invoke(taskPayload({ stateName: 'Second', stateEnteredTime: '2026-11-24T10:05:00.000Z' })));
    h.data.clearErrors();
    const described = await h.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: taskPayload().executionArn });
    expect(described.Id).toBe(ok.Id);
  });
});
