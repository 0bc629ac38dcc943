/**
 * The index queries on the real tracking table (dynalite, contract schema, projected attributes only):
 * LATEST, an execution's calls, the running calls page by page, and the singleton check's filter.
 */
import { TABLE } from '../../../../functions/shared/contract';
import { createTaskerContext, type TaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import type { IndexQueries } from '../../../../functions/tasker/table/index-queries';
import type { TrackedCall } from '../../../../functions/tasker/table/tracked-call';
import { useHandlerHarness } from '../../../support/handler/hooks';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:m:index-queries';

describe('index queries on the tracking table', () => {
  useHandlerHarness();
  let ctx: TaskerContext;
  beforeEach(() => {
    ctx = createTaskerContext();
  });
  afterEach(() => ctx.destroy());

  const indexes = (): IndexQueries => ctx.table.indexes;
  const register = (pk: string, startedAt: string, extra: Partial<TrackedCall> = {}) =>
    ctx.table.calls.register({
      pk,
      status: 'RUNNING',
      startedAt,
      executionArn: EXECUTION,
      statementId: `s-${pk}`,
      runningPartition: TABLE.RUNNING_PARTITION_VALUE,
      runningSql: `sql-of-${pk}`,
      ...extra,
    });

  it("LATEST is the execution's newest call with a statement; callsOfExecution lists them all", async () => {
    await register('a', '2026-01-01T00:00:01.000Z');
    await register('b', '2026-01-01T00:00:02.000Z');
    await register('c', '2026-01-01T00:00:03.000Z', { statementId: undefined, status: 'START_FAILED' });
    expect(await indexes().latestForExecution(EXECUTION)).toMatchObject({ pk: 'b', statementId: 's-b' });
    expect((await indexes().callsOfExecution(EXECUTION)).map((call) => call.pk).sort()).toEqual(['a', 'b', 'c']);
    expect(await indexes().latestForExecution(`${EXECUTION}-other`)).toBeUndefined();
  });

  it('running calls come oldest first, in pages of the size asked', async () => {
    for (const [i, pk] of ['r1', 'r2', 'r3'].entries()) await register(pk, `2026-01-01T00:00:0${i}.000Z`);
    const pages: string[][] = [];
    for await (const page of indexes().runningPages(2)) pages.push(page.map((call) => call.pk));
    expect(pages.flat()).toEqual(['r1', 'r2', 'r3']);
    expect(pages[0]).toHaveLength(2);
  });

  it('the singleton check finds another running call of the same SQL, never the caller itself', async () => {
    await register('own', '2026-01-01T00:00:01.000Z', { runningSql: 'same' });
    expect(await indexes().otherRunningWithSql('same', 'own')).toBeUndefined();
    await register('other', '2026-01-01T00:00:02.000Z', { runningSql: 'same' });
    expect(await indexes().otherRunningWithSql('same', 'own')).toMatchObject({ pk: 'other' });
  });
});
