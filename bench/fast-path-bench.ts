/**
 * `npm run bench:fast-path`: statement end → task resumed for a 50 ms statement, fast path against the
 * event path, on the whole local flow with the shipped handler zip (local/stack.ts: state machine →
 * tasker → local Data API → rule → queue → tasker → callback endpoint), plus the modelled AWS figures
 * and the Lambda cost of the fast path's wait.
 *
 * "End" is the moment the local Data API emits the statement's status-change event (the statement has
 * just ended); "resumed" is the SendTaskSuccess reaching the local Step Functions endpoint.
 * Prints one table; progress on stderr.
 */
import { ENV } from '../functions/shared/contract';
import type { StatusChangeEvent } from '../local/redshift-data';
import { startLocalTasker } from '../local/stack';
import { definition, serializeDefinition, sqlTask } from '../modules/sfn';
import { PRICES } from './prices';
import { summarize, type SampleSummary } from './stats';
import { formatDollars, formatDuration, formatTable, type Column } from './table';

const HOLD = '/* hold 50 ms */';
const RUNS = 15;

/**
 * Public figures for the hops the local flow does not have (AWS, event path only):
 * - EventBridge: 80 ms p90 end-to-end latency on an event bus in production (AWS Architecture Blog,
 *   "Mastering millisecond latency and millions of events: the event-driven architecture behind the
 *   Amazon Key Suite", 2026-02-04).
 * - SQS → Lambda: the event source mapping long-polls the queue, and a long poll returns as soon as a
 *   message arrives (Amazon SQS Developer Guide, "Short and long polling"); one Lambda invoke of a warm
 *   function is taken as 20 ms. Together 50 ms, an assumption rather than a published figure.
 * The delay between a statement's end and the Data API publishing its event is not published; it is
 * left out (it only adds to the event path).
 */
export const AWS_EVENT_PATH_EXTRA_MS = { eventBridge: 80, sqsToLambda: 50 } as const;

interface Sample {
  resumedAfterEndMs: number;
  startInvocationMs: number;
}

async function measure(fastPathSeconds: number, progress: (m: string) => void): Promise<Sample[]> {
  const emitted = new Map<string, number>();
  const tasker = await startLocalTasker({
    dataApi: { statementDelayMs: ({ sqls }) => (sqls.some((sql) => sql.includes(HOLD)) ? 50 : 0) },
    delivery: { visibilityTimeoutMs: 100 },
    env: { [ENV.FAST_PATH_SECONDS]: String(fastPathSeconds) },
    routeEvent: (event: StatusChangeEvent, publish) => {
      emitted.set(event.detail.statementId, performance.now() + performance.timeOrigin);
      publish(event);
    },
  });
  try {
    const machine = serializeDefinition(definition({ states: [sqlTask(tasker.functionArn, 'Quick', { sql: `SELECT 1 ${HOLD}` })] }));
    const samples: Sample[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const callsBefore = tasker.callbacks.calls.length;
      const invocationsBefore = tasker.invocations.length;
      const result = await tasker.run(machine);
      if (result.status !== 'SUCCEEDED') throw new Error(`run ${i}: ${result.status} ${result.error}`);
      const statementId = (result.output as { detail: { statementId: string } }).detail.statementId;
      const callback = tasker.callbacks.calls.slice(callsBefore).find((c) => c.action === 'SendTaskSuccess');
      const end = emitted.get(statementId);
      const start = tasker.invocations.slice(invocationsBefore).find((inv) => inv.kind === 'direct');
      if (!callback || end === undefined || !start) throw new Error(`run ${i}: missing callback, event or start invocation`);
      // The first run warms the bundle's clients up: not counted.
      if (i > 0) samples.push({ resumedAfterEndMs: callback.receivedAt - end, startInvocationMs: start.durationMs });
      await tasker.delivery.idle();
    }
    progress(`fast path ${fastPathSeconds} s: ${samples.length} statements`);
    return samples;
  } finally {
    await tasker.stop();
  }
}

/** Dollars per 1M statements of `ms` extra Lambda time at `memoryMb`. */
const lambdaCostPerMillion = (ms: number, memoryMb: number): number => (ms / 1000) * (memoryMb / 1024) * PRICES.lambdaPerGbSecond * 1e6;

async function main(): Promise<void> {
  const progress = (m: string): void => void process.stderr.write(`[bench fast-path] ${m}\n`);
  const event = await measure(0, progress);
  const fast = await measure(1, progress);
  const summary = (samples: Sample[], key: keyof Sample): SampleSummary => summarize(samples.map((s) => s[key]));
  const eventEnd = summary(event, 'resumedAfterEndMs');
  const fastEnd = summary(fast, 'resumedAfterEndMs');
  const eventStart = summary(event, 'startInvocationMs');
  const fastStart = summary(fast, 'startInvocationMs');
  const awsExtra = AWS_EVENT_PATH_EXTRA_MS.eventBridge + AWS_EVENT_PATH_EXTRA_MS.sqsToLambda;
  const waitMs = Math.max(0, fastStart.median - eventStart.median);
  const columns: Column[] = [{ title: 'Measure' }, { title: 'Fast path (1 s)', align: 'right' }, { title: 'Event path', align: 'right' }];
  const rows = [
    [
      '50 ms statement: end → task resumed, local, median / max',
      `${formatDuration(fastEnd.median)} / ${formatDuration(fastEnd.max)}`,
      `${formatDuration(eventEnd.median)} / ${formatDuration(eventEnd.max)}`,
    ],
    [
      'same, modelled for AWS (+ EventBridge 80 ms p90 + SQS→Lambda 50 ms on the event path)',
      formatDuration(fastEnd.median),
      formatDuration(eventEnd.median + awsExtra),
    ],
    ['start invocation (Lambda billed time), local, median', formatDuration(fastStart.median), formatDuration(eventStart.median)],
    [
      'Lambda cost of the wait per 1M statements (256 MB): 50 ms statement (measured) / longer than the wait (1 s)',
      `${formatDollars(lambdaCostPerMillion(waitMs, 256))} / ${formatDollars(lambdaCostPerMillion(1000, 256))}`,
      '$0',
    ],
  ];
  process.stdout.write(`${formatTable(columns, rows)}\n`);
  process.stdout.write(
    `Samples: ${fast.length} statements each, after one warm-up; ${new Date().toISOString().slice(0, 10)}; prices ${PRICES.region} as ` +
      `of ${PRICES.checkedOn}.\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
