/**
 * The callback records' conditional writes on the real tracking table (dynalite, contract schema): the
 * backoff schedule, the claim's lease (one re-claimer at a time), and giving up only what is due.
 */
import { type CallbackRecords, CLAIM_LEASE_SECONDS, retryDelaySeconds } from '../../../../functions/tasker/table/callback-records';
import { createTaskerContext, type TaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import { taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

describe('retry backoff', () => {
  it('doubles from 30 s per failed attempt, capped at 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });
});

describe('callback records on the tracking table', () => {
  const h = useHandlerHarness();
  let ctx: TaskerContext;
  beforeEach(() => {
    ctx = createTaskerContext();
  });
  afterEach(() => ctx.destroy());

  const records = (): CallbackRecords => ctx.table.callbacks;
  const runningCall = async () => {
    const { Id } = await h.invoke(taskPayload());
    return { pk: (await h.items()).find((item) => item.statementId === Id)!.pk as string, statementId: Id as string };
  };
  const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

  it('the first claim wins and holds a lease: another claimer wins only once it ends, and then only one of two', async () => {
    const call = await runningCall();
    const t0 = new Date();
    const claim = (claimer: string, now: Date) => records().claim({ ...call, state: 'FINISHED', claimer, byName: false, now });
    expect(await claim('sqs#a', t0)).toMatchObject({ claimedBy: 'sqs#a', callbackState: 'CLAIMED', pendingCallback: 'PENDING' });
    expect(await claim('sweep', at(t0, CLAIM_LEASE_SECONDS - 1))).toBeUndefined();
    const afterLease = at(t0, CLAIM_LEASE_SECONDS + 1);
    const both = await Promise.all([claim('sweep', afterLease), claim('sqs#b', afterLease)]);
    expect(both.filter((item) => item !== undefined)).toHaveLength(1);
  });

  it('a claimer records its answer only while it holds the claim; the answer ends the pending callback and sets the TTL', async () => {
    const call = await runningCall();
    const now = new Date();
    await records().claim({ ...call, state: 'FINISHED', claimer: 'start', byName: true, now });
    expect(await records().recordAnswered({ pk: call.pk, claimer: 'sqs#other', state: 'SENT', now, ttlSeconds: 60 })).toBe(false);
    expect(await records().recordAnswered({ pk: call.pk, claimer: 'start', state: 'SENT', now, ttlSeconds: 60 })).toBe(true);
    const item = await h.item(call.pk);
    expect(item).toMatchObject({ callbackState: 'SENT', expiresAt: Math.floor(now.getTime() / 1000) + 60 });
    expect(item).not.toHaveProperty('pendingCallback');
    expect(item).not.toHaveProperty('nextAttemptAt');
  });

  it('a failed attempt sets the next attempt time by the backoff; giving up works only once it is due', async () => {
    const call = await runningCall();
    const now = new Date();
    await records().claim({ ...call, state: 'FAILED', claimer: 'sqs#a', byName: true, now });
    expect(await records().recordSendFailed({ pk: call.pk, claimer: 'sqs#a', errorName: 'ServiceUnavailable', attempts: 3, now })).toBe(
      true,
    );
    expect(await h.item(call.pk)).toMatchObject({
      callbackState: 'SEND_FAILED',
      callbackAttempts: 3,
      nextAttemptAt: at(now, retryDelaySeconds(3)).toISOString(),
    });
    expect(await records().abandon({ pk: call.pk, now: at(now, retryDelaySeconds(3) - 1), ttlSeconds: 60 })).toBe(false);
    expect(await records().abandon({ pk: call.pk, now: at(now, retryDelaySeconds(3)), ttlSeconds: 60 })).toBe(true);
    expect(await h.item(call.pk)).toMatchObject({ callbackState: 'MAX_AGE_REACHED', status: 'FAILED' });
  });

  it('expedite makes a backing-off failed callback due now; never a claim in flight, an answered one or one already due', async () => {
    const call = await runningCall();
    const now = new Date();
    const claim = (claimer: string, when: Date) => records().claim({ ...call, state: 'FINISHED', claimer, byName: false, now: when });
    await claim('sqs#a', now);
    // CLAIMED: the lease is kept.
    expect(await records().expedite({ pk: call.pk, now })).toBe(false);
    await records().recordSendFailed({ pk: call.pk, claimer: 'sqs#a', errorName: 'ServiceUnavailable', attempts: 4, now });
    expect(await records().expedite({ pk: call.pk, now })).toBe(true);
    expect(await h.item(call.pk)).toMatchObject({ callbackState: 'SEND_FAILED', nextAttemptAt: now.toISOString() });
    // Due already: nothing to move.
    expect(await records().expedite({ pk: call.pk, now })).toBe(false);
    // Answered: out of the index, nothing to move.
    await claim('sweep', now);
    await records().recordAnswered({ pk: call.pk, claimer: 'sweep', state: 'SENT', now, ttlSeconds: 60 });
    expect(await records().expedite({ pk: call.pk, now: at(now, -60) })).toBe(false);
    expect(await h.item(call.pk)).not.toHaveProperty('nextAttemptAt');
  });
});
