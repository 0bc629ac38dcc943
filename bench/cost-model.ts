/**
 * What one Redshift statement costs, in requests and dollars, for the two ways of waiting for it from
 * Step Functions:
 *
 * - the callback flow of this package: one `waitForTaskToken` Task state; the tasker Lambda starts the
 *   statement, the Data API's status-change event travels EventBridge → SQS → the tasker, which calls
 *   SendTaskSuccess/Failure. Its counts come from the local measurement (see handler-bench.ts).
 * - the polling loop users build without it (polling-loop.asl.json): ExecuteStatement, then
 *   Wait N s → DescribeStatement → Choice until FINISHED, FAILED or ABORTED. Modelled here: the loop
 *   polls at N, 2N, … after the start; the statement ends at an unknown phase within an interval, so
 *   the added latency is N/2 on average and N at worst.
 *
 * Pure arithmetic; the prices come in as a parameter (prices.ts).
 */
import type { Prices } from './prices';

/** Requests one statement causes, per service (fractions are averages, e.g. a shared SQS batch). */
export interface StatementUsage {
  stateTransitions: number;
  lambdaInvocations: number;
  /** Billed Lambda milliseconds (each invocation rounded up to 1 ms). */
  lambdaBilledMs: number;
  sqsRequests: number;
  dynamoWru: number;
  dynamoRru: number;
  /** Redshift Data API requests: free, but they count against the account's Data API request quotas. */
  dataApiCalls: number;
  /** Bytes of log lines written (CloudWatch Logs ingestion). */
  logBytes: number;
}

/** Dollars per statement, by service. */
export interface CostBreakdown {
  stepFunctions: number;
  lambdaRequests: number;
  lambdaDuration: number;
  sqs: number;
  dynamo: number;
  logs: number;
  total: number;
}

const GB = 1024 ** 3;

/** Prices `usage` with `prices`, Lambda duration at `lambdaMemoryMb`. */
export function priceUsage(usage: StatementUsage, prices: Prices, lambdaMemoryMb: number): CostBreakdown {
  if (!(lambdaMemoryMb >= 128 && lambdaMemoryMb <= 10_240))
    throw new RangeError(`lambdaMemoryMb must be 128..10240, got ${lambdaMemoryMb}`);
  for (const [name, value] of Object.entries(usage)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`usage.${name} must be a non-negative number, got ${value}`);
  }
  const gbSeconds = (usage.lambdaBilledMs / 1000) * (lambdaMemoryMb / 1024);
  const parts = {
    stepFunctions: usage.stateTransitions * prices.stepFunctionsPerTransition,
    lambdaRequests: usage.lambdaInvocations * prices.lambdaPerRequest,
    lambdaDuration: gbSeconds * prices.lambdaPerGbSecond,
    sqs: usage.sqsRequests * prices.sqsPerRequest,
    dynamo: usage.dynamoWru * prices.dynamoPerWru + usage.dynamoRru * prices.dynamoPerRru,
    logs: (usage.logBytes / GB) * prices.logsPerGb,
  };
  const total = Object.values(parts).reduce((sum, value) => sum + value, 0);
  return { ...parts, total };
}

/** Billed milliseconds of one Lambda invocation: rounded up to the next millisecond, at least 1. */
export function billedMs(durationMs: number): number {
  if (!(durationMs >= 0)) throw new RangeError(`durationMs must be non-negative, got ${durationMs}`);
  return Math.max(1, Math.ceil(durationMs));
}

/** The states of the polling loop (polling-loop.asl.json): one state before the loop, three per poll. */
export const POLLING_LOOP_SHAPE = {
  /** ExecuteStatement (the counterpart of the callback flow's single Task state). */
  statesBeforeLoop: 1,
  /** Wait, DescribeStatement, Choice. */
  statesPerPoll: 3,
} as const;

/** State transitions of the SQL step when the loop polls `polls` times (the state after it not counted). */
export function pollingTransitions(polls: number): number {
  return POLLING_LOOP_SHAPE.statesBeforeLoop + POLLING_LOOP_SHAPE.statesPerPoll * polls;
}

export interface PollingLoopOptions {
  /** How long the statement runs, in seconds. */
  statementSeconds: number;
  /** The Wait state's seconds. */
  intervalSeconds: number;
  /**
   * How the loop calls the Data API: the SDK service integration (`arn:aws:states:::aws-sdk:redshiftdata:…`,
   * no Lambda) or a Lambda function per call.
   * @default 'sdk-integration'
   */
  describeVia?: 'sdk-integration' | 'lambda';
  /** Billed ms per Lambda call when `describeVia` is 'lambda'. @default 0 */
  lambdaBilledMsPerCall?: number;
}

export interface PollingLoopEstimate {
  /** Expected DescribeStatement calls (end uniformly placed within an interval): D/N + 1/2. */
  pollsAverage: number;
  /** Most DescribeStatement calls: the statement ends just after a poll: floor(D/N) + 1. */
  pollsWorst: number;
  /** Seconds from the statement's end to the loop noticing it: N/2 on average. */
  addedLatencyAverageSeconds: number;
  /** … and N at worst. */
  addedLatencyWorstSeconds: number;
  usageAverage: StatementUsage;
  usageWorst: StatementUsage;
}

export function pollingLoopEstimate(options: PollingLoopOptions): PollingLoopEstimate {
  const { statementSeconds: d, intervalSeconds: n } = options;
  if (!(d > 0 && Number.isFinite(d))) throw new RangeError(`statementSeconds must be positive, got ${d}`);
  if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`intervalSeconds must be positive, got ${n}`);
  const viaLambda = (options.describeVia ?? 'sdk-integration') === 'lambda';
  const lambdaMs = options.lambdaBilledMsPerCall ?? 0;
  const usageFor = (polls: number): StatementUsage => {
    const dataApiCalls = 1 + polls; // ExecuteStatement + one DescribeStatement per poll
    return {
      stateTransitions: pollingTransitions(polls),
      lambdaInvocations: viaLambda ? dataApiCalls : 0,
      lambdaBilledMs: viaLambda ? dataApiCalls * lambdaMs : 0,
      sqsRequests: 0,
      dynamoWru: 0,
      dynamoRru: 0,
      dataApiCalls,
      logBytes: 0,
    };
  };
  const pollsAverage = d / n + 0.5;
  const pollsWorst = Math.floor(d / n) + 1;
  return {
    pollsAverage,
    pollsWorst,
    addedLatencyAverageSeconds: n / 2,
    addedLatencyWorstSeconds: n,
    usageAverage: usageFor(pollsAverage),
    usageWorst: usageFor(pollsWorst),
  };
}

/** What the local run measured for the callback flow, per statement. */
export interface CallbackMeasurement {
  /** Completion events per tasker invocation (1 = every event alone, the usual case at low volume). */
  batchFill: number;
  /** Handler ms of the start invocation (median). */
  startMs: number;
  /** Handler ms of one completion invocation carrying `batchFill` events (median). */
  completionBatchMs: number;
  dynamoWru: number;
  dynamoRru: number;
  dataApiCalls: number;
  logBytes: number;
}

/**
 * Requests per statement of the callback flow: one Task state; the start invocation plus a share of a
 * completion invocation; SQS: EventBridge's SendMessage plus a share of one ReceiveMessage and one
 * DeleteMessageBatch by the event source mapping.
 */
export function callbackUsage(m: CallbackMeasurement): StatementUsage {
  if (!(Number.isInteger(m.batchFill) && m.batchFill >= 1 && m.batchFill <= 10_000)) {
    throw new RangeError(`batchFill must be an integer 1..10000, got ${m.batchFill}`);
  }
  return {
    stateTransitions: 1,
    lambdaInvocations: 1 + 1 / m.batchFill,
    lambdaBilledMs: billedMs(m.startMs) + billedMs(m.completionBatchMs) / m.batchFill,
    sqsRequests: 1 + 2 / m.batchFill,
    dynamoWru: m.dynamoWru,
    dynamoRru: m.dynamoRru,
    dataApiCalls: m.dataApiCalls,
    logBytes: m.logBytes,
  };
}

export interface FixedMonthlyOptions {
  /** Minutes between sweeps (DEFAULTS.SWEEP_SCHEDULE). @default 5 */
  sweepEveryMinutes?: number;
  /** Billed ms of one sweep invocation. */
  sweepBilledMs: number;
  /** Index Queries of one sweep with nothing to do (the pending-callback and running indexes). @default 1 */
  sweepQueries?: number;
  /** Concurrent long-polling ReceiveMessage loops the event source mapping keeps on an idle queue. @default 5 */
  idlePollers?: number;
  /** Long-poll seconds of one empty ReceiveMessage. @default 20 */
  longPollSeconds?: number;
  /** Days in the month. @default 30 */
  days?: number;
}

/**
 * Requests the callback flow makes per month whatever the traffic: the sweep schedule (one invocation and
 * its Queries of the sparse indexes, 0.5 RRU each as an eventually consistent read under 4 KB) and the
 * event source mapping's empty long polls on an idle queue.
 */
export function fixedMonthlyUsage(options: FixedMonthlyOptions): StatementUsage {
  const minutes = (options.days ?? 30) * 24 * 60;
  const sweeps = minutes / (options.sweepEveryMinutes ?? 5);
  const emptyReceives = (options.idlePollers ?? 5) * ((minutes * 60) / (options.longPollSeconds ?? 20));
  return {
    stateTransitions: 0,
    lambdaInvocations: sweeps,
    lambdaBilledMs: sweeps * options.sweepBilledMs,
    sqsRequests: emptyReceives,
    dynamoWru: 0,
    dynamoRru: sweeps * 0.5 * (options.sweepQueries ?? 1),
    dataApiCalls: 0,
    logBytes: 0,
  };
}

/** Lambda dollars (requests + duration) of the same work on each architecture. */
export interface ArchitectureCost {
  x86_64: number;
  arm64: number;
}

/**
 * Prices `invocations` Lambda invocations billed `billedMsTotal` ms in all, at `memoryMb`, on x86_64 and
 * on arm64 with the same duration (this bench runs on one architecture only: a Graviton run may be
 * faster or slower, which scales the duration part).
 */
export function lambdaCostByArchitecture(invocations: number, billedMsTotal: number, prices: Prices, memoryMb: number): ArchitectureCost {
  if (!(invocations >= 0 && billedMsTotal >= 0))
    throw new RangeError(`invocations and billedMsTotal must be non-negative, got ${invocations}, ${billedMsTotal}`);
  if (!(memoryMb >= 128 && memoryMb <= 10_240)) throw new RangeError(`memoryMb must be 128..10240, got ${memoryMb}`);
  const gbSeconds = (billedMsTotal / 1000) * (memoryMb / 1024);
  return {
    x86_64: invocations * prices.lambdaPerRequest + gbSeconds * prices.lambdaPerGbSecond,
    arm64: invocations * prices.lambdaArmPerRequest + gbSeconds * prices.lambdaArmPerGbSecond,
  };
}
