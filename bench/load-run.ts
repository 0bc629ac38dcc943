/**
 * Runs the load benchmark's executions on the local kit and collects what the analysis needs: each execution's
 * result, when each statement ended (its status event, kit time), the Data API calls, the callbacks, the
 * delivery's dead letters and the tracking table's items at the end. The figures come from load-analysis.ts.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../functions/shared/contract';
import type { StatusChangeEvent } from '../local/redshift-data';
import { startLocalTasker, type LocalTasker } from '../local/stack';
import type { ExecutionResult } from '../local/step-functions/run-state-machine';
import { DEFAULT_LOCAL_PROPS } from '../local/tasker-environment';
import { definition, sqlTask } from '../modules/sfn';
import { applyFaults, failsOnPurpose, faultyRoute, type LoadFaults } from './load-faults';

export interface LoadRunOptions {
  executions: number;
  /** The fast path's wait (`fastPathSeconds`); 0 turns it off. */
  fastPathSeconds: number;
  faults: LoadFaults;
  /** Kit time per wall time (1 = AWS's clock). @default 1 */
  timeScale?: number;
  /** Seconds between sweeps (kit time). @default 5 */
  sweepIntervalSeconds?: number;
  /** Seconds a statement may run without an event before the sweep asks about it. @default 15 */
  sweepGraceSeconds?: number;
  /**
   * TimeoutSeconds for the SQL tasks (sqlTask sets none): a stranded task ends TIMED_OUT here instead of waiting
   * for ever, and is counted. @default 300
   */
  taskTimeoutSeconds?: number;
  progress?: (message: string) => void;
}

/** One statement's end: its status event, seen before the faulty delivery drops or copies it. */
export interface StatementEnd {
  statementId: string;
  state: string;
  /** Kit time, ms since the epoch. */
  at: number;
}

export interface LoadRunRecords {
  options: Required<Omit<LoadRunOptions, 'progress'>>;
  results: ExecutionResult[];
  /** Execution index (from its name) → whether it was meant to fail. */
  meantToFail: (name: string) => boolean;
  ends: StatementEnd[];
  dataApiCalls: LocalTasker['dataApi']['calls'];
  callbacks: LocalTasker['callbacks']['calls'];
  deadLetters: number;
  items: Record<string, unknown>[];
  peakActiveStatements: number;
  /** Wall ms from the first start to the last execution's end. */
  wallMs: number;
}

/** SQL of execution `index`: tagged with it (duplicate starts are counted by tag) and held 0.1–3 s. */
export function loadSql(index: number, fails: boolean): string {
  const holdMs = 100 + ((index * 7919) % 2901);
  const table = fails ? `no_such_table_${index}` : '(SELECT 1 AS one) AS t';
  return `SELECT count(*) AS n FROM ${table} /* load ${index} */ /* hold ${holdMs} ms */`;
}

/**
 * One `sqlTask` with its recommended retries, its SQL read from the input: one definition for every execution,
 * validated once (a definition per execution would pay the validation 500 times).
 */
export function loadMachine(functionArn: string): object {
  const machine = definition({ states: [sqlTask(functionArn, 'Load', { sql: 'SELECT 1' })] }) as unknown as {
    States: { Load: { Parameters: { Payload: Record<string, unknown> } } };
  };
  const payload = machine.States.Load.Parameters.Payload;
  delete payload.sqlStatement;
  payload['sqlStatement.$'] = '$.sql';
  return machine;
}

const HOLD = /\/\* hold (\d+) ms \*\//;
export const LOAD_TAG = /\/\* load (\d+) \*\//;
export const executionName = (index: number): string => `load-${index}`;

export async function runLoad(options: LoadRunOptions): Promise<LoadRunRecords> {
  const settings = {
    executions: options.executions,
    fastPathSeconds: options.fastPathSeconds,
    faults: options.faults,
    timeScale: options.timeScale ?? 1,
    sweepIntervalSeconds: options.sweepIntervalSeconds ?? 5,
    sweepGraceSeconds: options.sweepGraceSeconds ?? 15,
    taskTimeoutSeconds: options.taskTimeoutSeconds ?? 300,
  };
  const progress = options.progress ?? (() => undefined);
  const ends: StatementEnd[] = [];
  let clockNow = (): number => Date.now();
  const tasker = await startLocalTasker({
    timeScale: settings.timeScale,
    sweep: { intervalSeconds: settings.sweepIntervalSeconds },
    taskTimeoutSeconds: settings.taskTimeoutSeconds,
    props: { ...DEFAULT_LOCAL_PROPS, fastPathSeconds: settings.fastPathSeconds, sweepGraceSeconds: settings.sweepGraceSeconds },
    env: { [ENV.FAST_PATH_SECONDS]: String(settings.fastPathSeconds) },
    dataApi: { statementDelayMs: ({ sqls }) => Number(HOLD.exec(sqls.join(' '))?.[1] ?? 0) },
    routeEvent: faultyRoute(settings.faults, (event: StatusChangeEvent) =>
      ends.push({ statementId: event.detail.statementId, state: event.detail.state, at: clockNow() }),
    ),
  });
  clockNow = () => tasker.clock.now();
  try {
    tasker.registerStateMachine('load', loadMachine(tasker.functionArn));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, tasker.dataApi.activeStatements())), 5);
    const cancelBursts = applyFaults(tasker, settings.faults, tasker.clock.elapsed());
    const started = performance.now();
    let done = 0;
    const results = await Promise.all(
      Array.from({ length: settings.executions }, async (_, i) => {
        const input = { sql: loadSql(i, failsOnPurpose(settings.faults, i)) };
        const result = await tasker.run('load', input, { executionName: executionName(i) });
        if (++done % 100 === 0) progress(`${done}/${settings.executions} executions ended`);
        return result;
      }),
    );
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    cancelBursts();
    await settle(tasker, settings.sweepIntervalSeconds);
    const documents = DynamoDBDocumentClient.from(tasker.dynamoDb.client);
    const items = await scanAll(documents, tasker.tableName);
    return {
      options: settings,
      results,
      meantToFail: (name) => failsOnPurpose(settings.faults, Number(name.split('-').pop())),
      ends,
      dataApiCalls: [...tasker.dataApi.calls],
      callbacks: [...tasker.callbacks.calls],
      deadLetters: tasker.delivery.deadLetters.length,
      items,
      peakActiveStatements: peak,
      wallMs,
    };
  } finally {
    await tasker.stop();
  }
}

/** Lets late duplicate events drain and one more sweep run, so the table shows what stays behind. */
async function settle(tasker: LocalTasker, sweepIntervalSeconds: number): Promise<void> {
  await tasker.delivery.idle(60_000);
  await tasker.clock.sleep(sweepIntervalSeconds * 1000);
  await tasker.sweepNow();
}

async function scanAll(documents: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
