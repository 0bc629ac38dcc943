/**
 * The singleton locks' conditional writes on the real tracking table (dynalite, contract schema): one holder
 * per SQL text, a repeated invocation keeps its lock, a stale lock is taken over, and only the holder releases.
 */
import { createTaskerContext, type TaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import type { SingletonLocks } from '../../../../functions/tasker/table/singleton-locks';
import { useHandlerHarness } from '../../../support/handler/hooks';

describe('singleton locks on the tracking table', () => {
  const h = useHandlerHarness();
  let ctx: TaskerContext;
  beforeEach(() => {
    ctx = createTaskerContext();
  });
  afterEach(() => ctx.destroy());

  const locks = (): SingletonLocks => ctx.table.locks;
  const hours = (base: Date, n: number) => new Date(base.getTime() + n * 3_600_000);

  it('one holder at a time; the same owner may take it again (a repeated invocation)', async () => {
    const now = new Date();
    expect(await locks().acquire('lock#sql-a', 'call-1', now)).toBe(true);
    expect(await locks().acquire('lock#sql-a', 'call-2', now)).toBe(false);
    expect(await locks().acquire('lock#sql-a', 'call-1', now)).toBe(true);
    expect(await locks().acquire('lock#sql-b', 'call-2', now)).toBe(true);
  });

  it('a lock held longer than a statement can exist (24 h) is stale: another call takes it over', async () => {
    const now = new Date();
    expect(await locks().acquire('lock#stale', 'call-1', now)).toBe(true);
    expect(await locks().acquire('lock#stale', 'call-2', hours(now, 23))).toBe(false);
    expect(await locks().acquire('lock#stale', 'call-2', hours(now, 25))).toBe(true);
  });

  it('release frees the lock for its holder only; a release by another call changes nothing', async () => {
    const now = new Date();
    await locks().acquire('lock#release', 'call-1', now);
    await locks().release('lock#release', 'call-2');
    expect(await locks().acquire('lock#release', 'call-3', now)).toBe(false);
    await locks().release('lock#release', 'call-1');
    expect(await locks().acquire('lock#release', 'call-3', now)).toBe(true);
    expect((await h.items()).find((item) => item.pk === 'lock#release')).toMatchObject({ owner: 'call-3' });
  });
});
