/**
 * The call lifecycle's conditional writes on the real tracking table (dynalite, contract schema): a key is
 * registered once, a failed start never overwrites a tracked call but may be retried, and an orphan's cancel
 * is claimed once and can be given back.
 */
import { createTaskerContext, type TaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import type { CallRecords } from '../../../../functions/tasker/table/call-records';
import type { TrackedCall } from '../../../../functions/tasker/table/tracked-call';
import { useHandlerHarness } from '../../../support/handler/hooks';

describe('call records on the tracking table', () => {
  useHandlerHarness();
  let ctx: TaskerContext;
  beforeEach(() => {
    ctx = createTaskerContext();
  });
  afterEach(() => ctx.destroy());

  const calls = (): CallRecords => ctx.table.calls;
  const call = (pk: string, extra: Partial<TrackedCall> = {}): TrackedCall => ({
    pk,
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:m:e',
    statementId: `statement-of-${pk}`,
    ...extra,
  });

  it('registers a key once: a repeated invocation is told so and writes nothing', async () => {
    expect(await calls().register(call('k1'))).toBe(true);
    expect(await calls().register(call('k1', { statementId: 'another' }))).toBe(false);
    expect((await calls().get('k1'))?.statementId).toBe('statement-of-k1');
  });

  it('a failed start is recorded with a TTL, never over a tracked call, and a retry may register over it', async () => {
    const now = new Date();
    await calls().register(call('k2'));
    await calls().recordStartFailure(call('k2', { startError: 'boom' }), now, 3_600);
    expect((await calls().get('k2'))?.status).toBe('RUNNING');

    await calls().recordStartFailure(call('k3', { statementId: undefined, startError: 'boom' }), now, 3_600);
    const failed = await calls().get('k3');
    expect(failed).toMatchObject({ status: 'START_FAILED', startError: 'boom' });
    expect(failed?.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 3_600);
    expect(await calls().register(call('k3'))).toBe(true);
  });

  it("claims an orphan's cancel once while it runs; a passing fault gives the claim back", async () => {
    const now = new Date();
    await calls().register(call('k4'));
    expect(await calls().claimOrphanCancel('k4', 'execution ended', now)).toBe(true);
    expect(await calls().claimOrphanCancel('k4', 'execution ended', now)).toBe(false);
    await calls().settleFailedOrphanCancel('k4', { retry: true });
    expect(await calls().claimOrphanCancel('k4', 'sweep', now)).toBe(true);
    await calls().settleFailedOrphanCancel('k4', { retry: false, error: 'ValidationException: gone' });
    expect(await calls().get('k4')).toMatchObject({ orphanReason: 'sweep', orphanCancelError: 'ValidationException: gone' });
  });
});
