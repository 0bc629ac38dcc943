/**
 * `npm run bench:launch`: the local kit's launch cost. Starts N executions (default 500) of a one-statement
 * state machine at once on the whole local flow (local/stack.ts with the shipped handler zip) and reports:
 * - launched: from the first `run()` call until every execution has entered its Task state;
 * - finished: until every execution has ended, and executions per second over that span;
 * - peak active statements on the local Data API (the cluster limit is 200);
 * - the CPU time one definition validation costs (paid once per definition, then cached).
 * `--executions <n>` changes N. Prints a small table; progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import { startLocalTasker } from '../local/stack';
import { createPgliteEngine } from '../local/redshift-data';
import { formatTable, type Column } from './table';

function executionsArg(argv: readonly string[]): number {
  const at = argv.indexOf('--executions');
  const value = at >= 0 ? Number(argv[at + 1]) : 500;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--executions must be a positive integer, got ${argv[at + 1]}`);
  return value;
}

/** A one-statement machine; the Retry absorbs ActiveStatementsExceeded at the 200-statement limit, as a user's would. */
function oneStatement(functionArn: string): object {
  return {
    StartAt: 'Run',
    States: {
      Run: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: functionArn,
          Payload: { 'taskToken.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id', sqlStatement: 'SELECT 1 AS one' },
        },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 20, BackoffRate: 1 }],
        End: true,
      },
    },
  };
}

export async function launchBench(executions: number): Promise<Record<string, string>> {
  const engine = await createPgliteEngine();
  const tasker = await startLocalTasker({ sweep: false, dataApi: { engine } });
  try {
    const definition = oneStatement(tasker.functionArn);
    const validation = performance.now();
    tasker.registerStateMachine('launch-bench', definition);
    const validationMs = performance.now() - validation;
    await tasker.run('launch-bench', {}); // warm the handler (first SDK clients, first connection)

    let entered = 0;
    let launchedAt = 0;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, tasker.dataApi.activeStatements())), 5);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: executions }, (_, i) =>
        tasker.run(
          'launch-bench',
          {},
          {
            executionName: `bench-${i}`,
            onStateEvent: (event) => {
              if (event.type === 'StateEntered' && ++entered === executions) launchedAt = performance.now();
            },
          },
        ),
      ),
    );
    const finishedMs = performance.now() - started;
    clearInterval(sampler);
    const failed = results.filter((r) => r.status !== 'SUCCEEDED').length;
    return {
      executions: String(executions),
      launched: `${((launchedAt - started) / 1000).toFixed(2)} s`,
      finished: `${(finishedMs / 1000).toFixed(2)} s`,
      'executions/s': (executions / (finishedMs / 1000)).toFixed(0),
      'peak active statements': String(peak),
      failed: String(failed),
      'one validation (cached after)': `${validationMs.toFixed(0)} ms`,
    };
  } finally {
    await tasker.stop();
    await engine.close();
  }
}

if (require.main === module) {
  void (async () => {
    const executions = executionsArg(process.argv.slice(2));
    process.stderr.write(`launching ${executions} executions on the local kit…\n`);
    const row = await launchBench(executions);
    const columns: Column[] = Object.keys(row).map((title) => ({ title }));
    process.stdout.write(`${formatTable(columns, [Object.values(row)])}\n`);
  })().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
