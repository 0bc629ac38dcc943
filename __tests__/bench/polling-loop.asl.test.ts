/**
 * The polling alternative the benchmark prices (bench/polling-loop.asl.json): valid ASL, leaves its loop
 * on FINISHED, FAILED and ABORTED, and enters exactly the states the cost model counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { pollingTransitions } from '../../bench/cost-model';
import { validateAsl } from '../modules/sfn/asl-validate';

// aws-local-stepfunctions 3 expects Node 22's Promise.withResolvers; this machine runs Node 20.
const promiseWithResolvers = Promise as unknown as { withResolvers?: () => unknown };
promiseWithResolvers.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const definition = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bench', 'polling-loop.asl.json'), 'utf8'));
const input = { clusterIdentifier: 'analytics', database: 'dev', dbUser: 'etl', sql: 'CALL load_day()' };

interface LoopRun {
  outcome: 'succeeded' | string;
  statesEntered: string[];
  describeCalls: number;
}

/** Runs the loop with DescribeStatement answering `statuses` in turn (the last one repeated); no real waiting. */
async function runLoop(asl: unknown, statuses: string[], maxDescribes = 50): Promise<LoopRun> {
  let describeCalls = 0;
  const machine = new StateMachine(asl as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: {
        'Execute statement': () => ({ Id: 'a8c4f3a2-0000-4000-8000-000000000001' }),
        'Describe statement': () => {
          describeCalls++;
          if (describeCalls > maxDescribes) execution.abort();
          return { Id: 'a8c4f3a2-0000-4000-8000-000000000001', Status: statuses[Math.min(describeCalls, statuses.length) - 1] };
        },
      },
      waitTimeOverrides: { Wait: 0 },
    },
    noThrowOnAbort: true,
  });
  const statesEntered: string[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') statesEntered.push(event.state.name);
    }
  })();
  let outcome = 'succeeded';
  try {
    const result = await execution.result;
    if (result === null) outcome = 'aborted';
  } catch (error) {
    const failure = error as Error & { cause?: Error };
    outcome = `${failure.cause?.name ?? failure.name}: ${failure.cause?.message ?? failure.message}`;
  }
  await collecting;
  return { outcome, statesEntered, describeCalls };
}

describe('bench/polling-loop.asl.json', () => {
  it('is valid ASL (asl-validator, paths and ARNs checked)', () => {
    const verdict = validateAsl(definition);
    expect(verdict.errors).toEqual([]);
    expect(verdict.isValid).toBe(true);
  });

  it('uses the Data API SDK integrations and no Lambda', () => {
    const resources = Object.values(definition.States as Record<string, { Resource?: string }>)
      .map((state) => state.Resource)
      .filter(Boolean);
    expect(resources).toEqual([
      'arn:aws:states:::aws-sdk:redshiftdata:executeStatement',
      'arn:aws:states:::aws-sdk:redshiftdata:describeStatement',
    ]);
  });

  it.each([
    [['FINISHED'], 1],
    [['SUBMITTED', 'STARTED', 'FINISHED'], 3],
    [['STARTED', 'STARTED', 'STARTED', 'STARTED', 'PICKED', 'STARTED', 'FINISHED'], 7],
  ])('statuses %j: succeeds after %i polls, entering the states the cost model counts', async (statuses, polls) => {
    const run = await runLoop(definition, statuses);
    expect(run.outcome).toBe('succeeded');
    expect(run.describeCalls).toBe(polls);
    // The model counts the SQL step's states; the terminal Succeed state stands for "the next state".
    expect(run.statesEntered.length).toBe(pollingTransitions(polls) + 1);
    expect(run.statesEntered.at(-1)).toBe('Statement finished');
  });

  it('leaves the loop on FAILED with StatementFailed', async () => {
    const run = await runLoop(definition, ['STARTED', 'FAILED']);
    expect(run.describeCalls).toBe(2);
    expect(run.statesEntered.at(-1)).toBe('Statement failed');
    expect(run.outcome).toContain('StatementFailed');
  });

  it('leaves the loop on ABORTED with StatementAborted', async () => {
    const run = await runLoop(definition, ['STARTED', 'STARTED', 'ABORTED']);
    expect(run.describeCalls).toBe(3);
    expect(run.statesEntered.at(-1)).toBe('Statement aborted');
    expect(run.outcome).toContain('StatementAborted');
  });

  it('the widely copied loop without the ABORTED branch never leaves (what this definition avoids)', async () => {
    const copied = structuredClone(definition);
    const choice = copied.States['Statement ended?'];
    choice.Choices = choice.Choices.filter((rule: { StringEquals: string }) => rule.StringEquals !== 'ABORTED');
    delete copied.States['Statement aborted'];
    const run = await runLoop(copied, ['STARTED', 'ABORTED'], 20);
    expect(run.outcome).toBe('aborted'); // stopped by the test after 20 polls, still looping
    expect(run.describeCalls).toBeGreaterThan(20);
  });
});
