/**
 * The load benchmark's figures, computed from what one run recorded (load-run.ts). Pure: the test in the suite
 * asserts on the same figures the benchmark prints.
 *
 * - stranded: an execution whose statement ended (its status event was emitted) but that did not end as that
 *   statement says: its task was not resumed and timed out (the run gives the tasks a TimeoutSeconds so that this
 *   shows as `States.Timeout` instead of a wait for ever);
 * - lost: an execution that ended otherwise than expected (SUCCEEDED, or FAILED with `FAILED` for the statements
 *   meant to fail) and is not stranded;
 * - duplicate callbacks: a task token with more than one accepted SendTaskSuccess/SendTaskFailure;
 * - duplicate starts: an execution with more than one statement started (ExecuteStatement answered without error);
 * - path: the invocation whose answer Step Functions accepted (its output/cause says `fastPath: true`,
 *   `sweep: true`, or neither: the status event), and whether an earlier answer for that token was refused.
 */
import { percentile } from './stats';
import { LOAD_TAG, type LoadRunRecords } from './load-run';

export type CallbackPath = 'fast' | 'event' | 'sweep';

export interface LoadFigures {
  executions: number;
  byStatus: Record<string, number>;
  stranded: number;
  lost: number;
  duplicateCallbacks: number;
  duplicateStarts: number;
  /** Answers for a token already answered, refused as closed (not duplicates: Step Functions did not accept them). */
  refusedAsClosed: number;
  peakActiveStatements: number;
  wallSeconds: number;
  executionsPerSecond: number;
  /** Statement end (status event, kit time) → accepted callback (kit time), ms. */
  resumeP50Ms: number;
  resumeP95Ms: number;
  resumeMaxMs: number;
  /** The p50 of that latency for callbacks accepted at their first try, and for those accepted after refused attempts. */
  resumeP50FirstTryMs: number;
  resumeP50RetriedMs: number;
  /** Accepted callbacks by path, first try or after refused attempts. */
  paths: Record<CallbackPath, { firstTry: number; retried: number }>;
  deadLetters: number;
  itemsRunning: number;
  itemsPendingCallback: number;
  throttled: number;
  refusedCallbacks: number;
}

const ANSWERS = new Set(['SendTaskSuccess', 'SendTaskFailure']);

interface Answer {
  statementId?: string;
  path: CallbackPath;
}

function readAnswer(call: LoadRunRecords['callbacks'][number]): Answer {
  const text = call.action === 'SendTaskSuccess' ? call.output : call.cause;
  let body: { fastPath?: boolean; sweep?: boolean; detail?: { statementId?: string } } = {};
  try {
    body = JSON.parse(text ?? '{}') as typeof body;
  } catch {
    // A cause that is not JSON (none here): counted as the event path with no statement.
  }
  return { statementId: body.detail?.statementId, path: body.fastPath ? 'fast' : body.sweep ? 'sweep' : 'event' };
}

export function analyzeLoad(records: LoadRunRecords): LoadFigures {
  const ended = new Map(records.ends.map((end) => [end.statementId, end]));
  const itemByStatement = new Map(
    records.items.filter((item) => typeof item.statementId === 'string').map((item) => [item.statementId as string, item]),
  );

  // Which executions' statements ended: through the tracking items (statement → execution).
  const executionsWithEndedStatement = new Set<string>();
  for (const [statementId] of ended) {
    const arn = itemByStatement.get(statementId)?.executionArn;
    if (typeof arn === 'string') executionsWithEndedStatement.add(arn);
  }

  const byStatus: Record<string, number> = {};
  let stranded = 0;
  let lost = 0;
  for (const result of records.results) {
    const label = result.status === 'FAILED' ? `FAILED (${result.error})` : result.status;
    byStatus[label] = (byStatus[label] ?? 0) + 1;
    const expected = records.meantToFail(result.name)
      ? result.status === 'FAILED' && result.error === 'FAILED'
      : result.status === 'SUCCEEDED';
    if (expected) continue;
    // A task not resumed by its ended statement times out (the run's TimeoutSeconds): stranded.
    if (executionsWithEndedStatement.has(result.executionArn)) stranded += 1;
    else lost += 1;
  }
  lost += records.options.executions - records.results.length;

  const accepted = new Map<string, number>();
  const refusedBefore = new Set<string>();
  const paths: LoadFigures['paths'] = {
    fast: { firstTry: 0, retried: 0 },
    event: { firstTry: 0, retried: 0 },
    sweep: { firstTry: 0, retried: 0 },
  };
  const resumeMs: number[] = [];
  const resumeMsBy = { firstTry: [] as number[], retried: [] as number[] };
  let refusedAsClosed = 0;
  let refusedCallbacks = 0;
  for (const call of records.callbacks.filter((c) => ANSWERS.has(c.action))) {
    if (call.answeredWith === 'TaskTimedOut' || call.answeredWith === 'TaskDoesNotExist') refusedAsClosed += 1;
    if (call.answeredWith !== undefined) {
      refusedCallbacks += 1;
      refusedBefore.add(call.taskToken);
      continue;
    }
    accepted.set(call.taskToken, (accepted.get(call.taskToken) ?? 0) + 1);
    const answer = readAnswer(call);
    const attempt = refusedBefore.has(call.taskToken) ? 'retried' : 'firstTry';
    paths[answer.path][attempt] += 1;
    const end = answer.statementId === undefined ? undefined : ended.get(answer.statementId);
    if (end) {
      resumeMs.push(call.receivedAt - end.at);
      resumeMsBy[attempt].push(call.receivedAt - end.at);
    }
  }

  const startsPerExecution = new Map<string, number>();
  let throttled = 0;
  for (const call of records.dataApiCalls.filter((c) => c.operation === 'ExecuteStatement')) {
    if (call.error?.name === 'ThrottlingException') throttled += 1;
    if (call.error) continue;
    const tag = LOAD_TAG.exec(String(call.input.Sql))?.[1];
    if (tag !== undefined) startsPerExecution.set(tag, (startsPerExecution.get(tag) ?? 0) + 1);
  }

  const wallSeconds = records.wallMs / 1000;
  return {
    executions: records.options.executions,
    byStatus,
    stranded,
    lost,
    duplicateCallbacks: [...accepted.values()].filter((n) => n > 1).length,
    duplicateStarts: [...startsPerExecution.values()].filter((n) => n > 1).length,
    refusedAsClosed,
    peakActiveStatements: records.peakActiveStatements,
    wallSeconds,
    executionsPerSecond: records.results.length / wallSeconds,
    resumeP50Ms: resumeMs.length ? percentile(resumeMs, 50) : NaN,
    resumeP95Ms: resumeMs.length ? percentile(resumeMs, 95) : NaN,
    resumeMaxMs: resumeMs.length ? Math.max(...resumeMs) : NaN,
    resumeP50FirstTryMs: resumeMsBy.firstTry.length ? percentile(resumeMsBy.firstTry, 50) : NaN,
    resumeP50RetriedMs: resumeMsBy.retried.length ? percentile(resumeMsBy.retried, 50) : NaN,
    paths,
    deadLetters: records.deadLetters,
    itemsRunning: records.items.filter((item) => item.status === 'RUNNING').length,
    itemsPendingCallback: records.items.filter((item) => item.pendingCallback !== undefined).length,
    throttled,
    refusedCallbacks,
  };
}
