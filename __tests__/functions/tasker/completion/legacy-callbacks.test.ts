/**
 * The sweep's one-off upgrade pass (legacy-callbacks.ts), on dynalite: a failed callback that a release without
 * the pending-callback index left in no index (`SEND_FAILED`, no `pendingCallback`, the TTL its claim set) is found
 * by the first sweep after the upgrade and answered exactly once; nothing else in the table is touched; the pass
 * resumes where a short sweep stopped, survives a failed page, and is not repeated once done.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { indexLegacyCallbacks } from '../../../../functions/tasker/completion/legacy-callbacks';
import { createTaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import { LEGACY_CALLBACK_MARKER_KEY, LegacyCallbacks } from '../../../../functions/tasker/table/legacy-callbacks';
import type { HandlerHarness } from '../../../support/handler/harness';
import { startTrackedTask } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';
import { sweepAt } from '../../../support/handler/sweep-at';

/**
 * Rewrites a started call as the previous release left it after a fast-path claim whose callback failed: ended,
 * claimed, SEND_FAILED, out of the running index, in no other, with the TTL set at the claim.
 */
async function makeLegacySendFailed(h: HandlerHarness, key: string, claimedAt = new Date()): Promise<void> {
  const db = DynamoDBDocumentClient.from(h.dynamo.client);
  await db.send(
    new UpdateCommand({
      TableName: h.tableName,
      Key: { pk: key },
      UpdateExpression:
        'SET #status = :finished, claimedBy = :start, callbackState = :failed, callbackError = :error, callbackFailedAt = :at, ' +
        'completedAt = :at, expiresAt = :ttl REMOVE runningPartition, runningSql',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':finished': 'FINISHED',
        ':start': 'start',
        ':failed': 'SEND_FAILED',
        ':error': 'ServiceUnavailable',
        ':at': claimedAt.toISOString(),
        ':ttl': Math.floor(claimedAt.getTime() / 1000) + 86_400,
      },
    }),
  );
}

/** A finished statement whose call the previous release left as a legacy SEND_FAILED item. */
async function legacyTask(h: HandlerHarness): Promise<{ id: string; key: string; token: string }> {
  const task = await startTrackedTask(h);
  h.data.finish(task.id, 'FINISHED', { rows: 4 });
  await makeLegacySendFailed(h, task.key);
  return task;
}

const acceptedFor = (h: HandlerHarness, token: string) =>
  h.sfn.calls.filter((call) => call.taskToken === token && call.action !== 'SendTaskHeartbeat' && call.answeredWith === undefined);

describe('the sweep after an upgrade: failed callbacks of an earlier release', () => {
  const h = useHandlerHarness();

  it('indexes a legacy SEND_FAILED item and delivers its callback in the same sweep, once; the next sweeps leave it alone', async () => {
    const { id, key, token } = await legacyTask(h);
    expect(await h.item(key)).not.toHaveProperty('pendingCallback');

    const first = await sweepAt(new Date());
    expect(first.legacyCallbacksIndexed).toBe(1);
    expect(first.callbacks).toMatchObject({ due: 1, delivered: 1, pending: 0 });
    const [callback] = acceptedFor(h, token);
    expect(callback.action).toBe('SendTaskSuccess');
    expect(JSON.parse(callback.output!).detail).toMatchObject({ statementId: id, state: 'FINISHED', rows: 4 });
    const answered = await h.item(key);
    expect(answered).toMatchObject({ status: 'FINISHED', callbackState: 'SENT', claimedBy: 'sweep' });
    expect(answered).not.toHaveProperty('pendingCallback');
    // Answered: the TTL is back (the pass removed the old one so the item could not expire before its answer).
    expect(answered!.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(await h.item(LEGACY_CALLBACK_MARKER_KEY)).toMatchObject({ done: true });

    const before = h.awsCalls().dynamodb.length;
    expect((await sweepAt(new Date())).legacyCallbacksIndexed).toBe(0);
    // A warm container skips the pass entirely: no marker read, no Scan.
    expect(h.awsCalls().dynamodb.slice(before)).not.toContain('Scan');
    expect(h.awsCalls().dynamodb.slice(before)).not.toContain('GetItem');
    expect(acceptedFor(h, token)).toHaveLength(1);
  });

  it('touches nothing else: running calls, answered calls and failed callbacks already in the index keep every attribute', async () => {
    const running = await startTrackedTask(h);
    const answered = await startTrackedTask(h);
    await h.deliver([h.data.finish(answered.id, 'FINISHED', { rows: 1 })]);
    const indexed = await startTrackedTask(h);
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    await h.deliver([h.data.finish(indexed.id, 'FINISHED', { rows: 1 })]);
    const before = await Promise.all([running, answered, indexed].map((task) => h.item(task.key)));
    expect(before.map((item) => item?.callbackState)).toEqual([undefined, 'SENT', 'SEND_FAILED']);
    expect(before[2]).toMatchObject({ pendingCallback: 'PENDING' });

    const ctx = createTaskerContext();
    try {
      expect(await indexLegacyCallbacks(ctx, new Date(), undefined, 0)).toEqual({ indexed: 0, done: true });
    } finally {
      ctx.destroy();
    }
    expect(await Promise.all([running, answered, indexed].map((task) => h.item(task.key)))).toEqual(before);
  });

  it('ends the retries when the legacy task is already closed: the refusal is recorded, nothing is retried again', async () => {
    const { key, token } = await legacyTask(h);
    h.sfn.expireToken(token, 'TaskTimedOut');
    expect((await sweepAt(new Date())).callbacks).toMatchObject({ due: 1, refused: 1, pending: 0 });
    const item = await h.item(key);
    expect(item).toMatchObject({ callbackState: 'TaskTimedOut' });
    expect(item).not.toHaveProperty('pendingCallback');
    expect(acceptedFor(h, token)).toHaveLength(0);
  });

  it('a pass cut short by the time budget resumes where it stopped, in a later container, and finds every item', async () => {
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(await legacyTask(h));
    const shortOfTime = { getRemainingTimeInMillis: () => 0 };
    const indexedByPass: number[] = [];
    let done = false;
    for (let sweep = 0; sweep < 10 && !done; sweep++) {
      // A fresh copy of the module: a new container, which knows only what the table's marker says.
      const result = await inFreshContainer((index) => {
        const ctx = createTaskerContext();
        return index(ctx, new Date(), shortOfTime, 1_000, 2).finally(() => ctx.destroy());
      });
      indexedByPass.push(result.indexed);
      done = result.done;
    }
    expect(done).toBe(true);
    // Two items read per page, one page per short pass: the five legacy items arrive over several passes.
    expect(indexedByPass.length).toBeGreaterThan(2);
    expect(indexedByPass.reduce((sum, n) => sum + n, 0)).toBe(5);
    for (const task of tasks) expect(await h.item(task.key)).toMatchObject({ pendingCallback: 'PENDING', callbackState: 'SEND_FAILED' });

    // Done: a new container reads the marker once and scans nothing.
    const before = h.awsCalls().dynamodb.length;
    const again = await inFreshContainer((index) => {
      const ctx = createTaskerContext();
      return index(ctx, new Date(), undefined, 0).finally(() => ctx.destroy());
    });
    expect(again).toEqual({ indexed: 0, done: true });
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['GetItem']);
  });

  it('a failed page is logged and leaves the sweep running; the next sweep finishes the pass', async () => {
    const { token } = await legacyTask(h);
    const page = jest
      .spyOn(LegacyCallbacks.prototype, 'page')
      .mockRejectedValueOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    try {
      const first = await sweepAt(new Date());
      expect(first.legacyCallbacksIndexed).toBe(0);
      expect(first.failed).toBe(0);
      expect(acceptedFor(h, token)).toHaveLength(0);
    } finally {
      page.mockRestore();
    }
    expect((await sweepAt(new Date())).legacyCallbacksIndexed).toBe(1);
    expect(acceptedFor(h, token)).toHaveLength(1);
  });
});

/** Runs `use` with `indexLegacyCallbacks` from a fresh module registry: a new container's memory. */
async function inFreshContainer<T>(use: (index: typeof indexLegacyCallbacks) => Promise<T>): Promise<T> {
  type LegacyModule = { indexLegacyCallbacks: typeof indexLegacyCallbacks };
  let fresh: typeof indexLegacyCallbacks | undefined;
  jest.isolateModules(() => {
    fresh = (require('../../../../functions/tasker/completion/legacy-callbacks') as LegacyModule).indexLegacyCallbacks;
  });
  return use(fresh!);
}
