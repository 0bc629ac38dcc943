/** The load benchmark's figures from hand-made records: what counts as stranded, lost or duplicated. */
import { analyzeLoad } from '../../bench/load-analysis';
import type { LoadRunRecords } from '../../bench/load-run';
import { ISSUE_25_FAULTS } from '../../bench/load-faults';

const arn = (i: number) => `arn:aws:states:us-east-1:1:execution:load:load-${i}`;
const result = (i: number, status: 'SUCCEEDED' | 'FAILED', error?: string) =>
  ({ name: `load-${i}`, executionArn: arn(i), status, error }) as LoadRunRecords['results'][number];
const success = (token: string, statementId: string, at: number, extra: object = {}, answeredWith?: string) => ({
  action: 'SendTaskSuccess' as const,
  taskToken: token,
  output: JSON.stringify({ detail: { statementId }, ...extra }),
  receivedAt: at,
  answeredWith,
});

function records(overrides: Partial<LoadRunRecords>): LoadRunRecords {
  return {
    options: {
      executions: 3,
      fastPathSeconds: 1,
      faults: ISSUE_25_FAULTS,
      timeScale: 1,
      sweepIntervalSeconds: 5,
      sweepGraceSeconds: 15,
      taskTimeoutSeconds: 300,
    },
    results: [],
    meantToFail: () => false,
    ends: [],
    dataApiCalls: [],
    callbacks: [],
    deadLetters: 0,
    items: [],
    peakActiveStatements: 3,
    wallMs: 1000,
    ...overrides,
  };
}

it('counts a timed-out task whose statement ended as stranded, another unexpected end as lost, a missing one as lost', () => {
  const figures = analyzeLoad(
    records({
      results: [result(0, 'SUCCEEDED'), result(1, 'FAILED', 'States.Timeout')],
      ends: [
        { statementId: 's0', state: 'FINISHED', at: 100 },
        { statementId: 's1', state: 'FINISHED', at: 100 },
      ],
      items: [
        { statementId: 's0', executionArn: arn(0) },
        { statementId: 's1', executionArn: arn(1) },
      ],
      callbacks: [success('t0', 's0', 350)],
    }),
  );
  expect([figures.stranded, figures.lost]).toEqual([1, 1]);
  expect(figures.byStatus).toEqual({ SUCCEEDED: 1, 'FAILED (States.Timeout)': 1 });
  expect([figures.resumeP50Ms, figures.paths.event.firstTry]).toEqual([250, 1]);
});

it('counts two accepted answers for one token and two starts for one execution as duplicates; refused answers mark a retry', () => {
  const sql = (i: number) => ({ operation: 'ExecuteStatement', input: { Sql: `SELECT 1 /* load ${i} */` } });
  const figures = analyzeLoad(
    records({
      options: { ...records({}).options, executions: 2 },
      results: [result(0, 'SUCCEEDED'), result(1, 'SUCCEEDED')],
      dataApiCalls: [sql(0), sql(0), { ...sql(1), error: { name: 'ThrottlingException', message: 'x' } }, sql(1)],
      callbacks: [
        success('t0', 's0', 1, { fastPath: true }),
        success('t0', 's0', 2, { sweep: true }),
        success('t1', 's1', 3, {}, 'ServiceUnavailable'),
        success('t1', 's1', 4, { sweep: true }),
      ],
      deadLetters: 1,
      items: [{ status: 'RUNNING' }, { pendingCallback: 'PENDING' }],
    }),
  );
  expect([figures.duplicateCallbacks, figures.duplicateStarts, figures.throttled]).toEqual([1, 1, 1]);
  expect(figures.paths).toEqual({
    fast: { firstTry: 1, retried: 0 },
    event: { firstTry: 0, retried: 0 },
    sweep: { firstTry: 1, retried: 1 },
  });
  expect([figures.refusedCallbacks, figures.deadLetters, figures.itemsRunning, figures.itemsPendingCallback]).toEqual([1, 1, 1, 1]);
});

it('splits the resume latency between callbacks accepted at their first try and after refused attempts', () => {
  const figures = analyzeLoad(
    records({
      ends: [
        { statementId: 's0', state: 'FINISHED', at: 0 },
        { statementId: 's1', state: 'FINISHED', at: 0 },
      ],
      callbacks: [
        success('t0', 's0', 100),
        success('t1', 's1', 200, {}, 'ServiceUnavailable'),
        success('t1', 's1', 30_200, { sweep: true }),
      ],
    }),
  );
  expect([figures.resumeP50FirstTryMs, figures.resumeP50RetriedMs]).toEqual([100, 30_200]);
  const none = analyzeLoad(records({}));
  expect([none.resumeP50FirstTryMs, none.resumeP50RetriedMs]).toEqual([NaN, NaN]);
});
