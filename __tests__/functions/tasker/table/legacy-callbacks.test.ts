/**
 * The upgrade pass's reads and writes on the real tracking table (dynalite, contract schema): the marker's round
 * trip, the Scan's filter (legacy SEND_FAILED items only, keys only), and the conditional index write.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../../functions/shared/contract';
import { createTaskerContext, type TaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import { LEGACY_CALLBACK_MARKER_KEY, type LegacyCallbacks } from '../../../../functions/tasker/table/legacy-callbacks';
import { useHandlerHarness } from '../../../support/handler/hooks';

describe('legacy failed callbacks on the tracking table', () => {
  const h = useHandlerHarness();
  let ctx: TaskerContext;
  beforeEach(() => {
    ctx = createTaskerContext();
  });
  afterEach(() => ctx.destroy());

  const legacy = (): LegacyCallbacks => ctx.table.legacy;
  const put = (item: Record<string, unknown>) =>
    DynamoDBDocumentClient.from(h.dynamo.client).send(new PutCommand({ TableName: h.tableName, Item: item }));

  it('a table never scanned has no marker; the marker keeps the resume key, then done', async () => {
    expect(await legacy().scanState()).toEqual({ done: false, resumeKey: undefined });
    await legacy().saveScanState({ done: false, resumeKey: { pk: 'abc' } }, new Date());
    expect(await legacy().scanState()).toEqual({ done: false, resumeKey: { pk: 'abc' } });
    await legacy().saveScanState({ done: true }, new Date());
    expect(await legacy().scanState()).toEqual({ done: true, resumeKey: undefined });
    // The marker is in no index: none of its attributes is an index key.
    const marker = await h.item(LEGACY_CALLBACK_MARKER_KEY);
    for (const index of [TABLE.EXECUTION_INDEX, TABLE.RUNNING_INDEX, TABLE.PENDING_CALLBACK_INDEX]) {
      expect(marker).not.toHaveProperty(index.hashKey);
    }
  });

  it('the Scan returns the keys of SEND_FAILED items outside the pending-callback index, and nothing else', async () => {
    await put({ pk: 'legacy-1', status: 'FINISHED', callbackState: 'SEND_FAILED', startedAt: '2026-01-01T00:00:00Z' });
    await put({ pk: 'legacy-2', status: 'FAILED', callbackState: 'SEND_FAILED', startedAt: '2026-01-01T00:00:00Z' });
    await put({ pk: 'indexed', status: 'FINISHED', callbackState: 'SEND_FAILED', pendingCallback: 'PENDING', nextAttemptAt: 'x' });
    await put({ pk: 'sent', status: 'FINISHED', callbackState: 'SENT' });
    await put({ pk: 'running', status: 'RUNNING', runningPartition: 'RUNNING', startedAt: '2026-01-01T00:00:00Z' });
    const keys: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await legacy().page(startKey, 2);
      keys.push(...page.keys);
      startKey = page.nextKey;
      pages += 1;
    } while (startKey);
    expect(keys.sort()).toEqual(['legacy-1', 'legacy-2']);
    expect(pages).toBeGreaterThanOrEqual(3); // 5 items, 2 read per page
  });

  it('index puts a legacy item in the pending-callback index, due now, without its TTL; anything else is refused', async () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    await put({ pk: 'legacy', status: 'FINISHED', callbackState: 'SEND_FAILED', expiresAt: 1_800_000_000 });
    await put({ pk: 'sent', status: 'FINISHED', callbackState: 'SENT', expiresAt: 1_800_000_000 });
    await put({ pk: 'indexed', status: 'FINISHED', callbackState: 'SEND_FAILED', pendingCallback: 'PENDING', nextAttemptAt: 'later' });
    expect(await legacy().index('legacy', now)).toBe(true);
    expect(await legacy().index('sent', now)).toBe(false);
    expect(await legacy().index('indexed', now)).toBe(false);
    expect(await legacy().index('absent', now)).toBe(false);
    const item = await h.item('legacy');
    expect(item).toMatchObject({ pendingCallback: 'PENDING', nextAttemptAt: now.toISOString(), callbackState: 'SEND_FAILED' });
    expect(item).not.toHaveProperty('expiresAt');
    expect(await h.item('indexed')).toMatchObject({ nextAttemptAt: 'later' });
    // A refused index write creates nothing.
    expect(await h.item('absent')).toBeUndefined();
  });
});
