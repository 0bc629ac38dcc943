/**
 * `npm run demo`: the example ELT state machine, run locally end to end with the shipped handler
 * bundle (dist/tasker-handler.zip) — no AWS account, nothing to install beyond `npm ci`.
 *
 * Prints each state as it starts and completes, with timings, then the final output and how long the
 * handler itself took per statement (SQL excluded: statements run asynchronously after the start call).
 *
 * Options: --orders <n> (rows the load step generates, default 1000), --verbose (handler logs at INFO),
 * --postgres <url> (run the SQL on that PostgreSQL server instead of embedded PGlite; default: the
 * LOCAL_REDSHIFT_PG_URL environment variable when set).
 */
import { eltStateMachine } from '../local/demo/elt-state-machine';
import { startLocalTasker, type HandlerInvocation } from '../local/stack';
import type { StateEvent } from '../local/step-functions/run-state-machine';
import { serializeDefinition } from '../modules/sfn';

// The SDK warns that its 2027 releases need Node 22. The deployed function runs on nodejs22.x; this
// local run may use Node 20, where the warning is noise in the progress view.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface DemoArgs {
  orders: number;
  verbose: boolean;
  /** PostgreSQL server connection string; undefined: embedded PGlite. */
  postgres?: string;
}

function parseArgs(argv: string[]): DemoArgs {
  const args: DemoArgs = { orders: 1000, verbose: false, postgres: process.env.LOCAL_REDSHIFT_PG_URL || undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--verbose') args.verbose = true;
    else if (argv[i] === '--orders') {
      args.orders = Number(argv[++i]);
      if (!Number.isInteger(args.orders) || args.orders < 1) throw new Error('--orders takes a positive integer');
    } else if (argv[i] === '--postgres') {
      args.postgres = argv[++i];
      if (!args.postgres) throw new Error('--postgres takes a connection string (postgres://user:password@host:port/database)');
    } else throw new Error(`unknown option ${argv[i]} (options: --orders <n>, --verbose, --postgres <url>)`);
  }
  return args;
}

/** The connection string with its password hidden, for printing. */
function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(connection string)';
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(1, width - text.length));

/** Prints one state event; times are relative to the first event (the execution's start). */
function printStateEvent(event: StateEvent, origin: { at?: number }): void {
  origin.at ??= event.at;
  const at = `+${seconds(event.at - origin.at)}`.padStart(9);
  if (event.type === 'StateEntered') console.log(`${at}  ▶ ${event.name}`);
  else if (event.type === 'StateExited') console.log(`${at}  ✔ ${pad(event.name, 22)}${event.durationMs} ms`);
  else if (event.type === 'StateFailed') console.log(`${at}  ✖ ${pad(event.name, 22)}${event.error}`);
  else if (event.type === 'StateRetried') console.log(`${at}  ↻ ${event.name} (retry)`);
  else if (event.type === 'StateCaught') console.log(`${at}  ↪ ${event.name} (caught)`);
}

/** Median of a list of numbers (0 for none). */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function handlerOverhead(invocations: readonly HandlerInvocation[]): string {
  const direct = invocations.filter((i) => i.kind === 'direct');
  const [coldStart, ...warmStarts] = direct;
  const perEvent = invocations.filter((i) => i.kind === 'sqs').map((i) => i.durationMs / i.records);
  return [
    `  first invocation (cold: SDK clients created): ${coldStart?.durationMs ?? 0} ms`,
    `  start a statement (warm, median of ${warmStarts.length}): ${median(warmStarts.map((i) => i.durationMs)).toFixed(1)} ms`,
    `  complete a statement per event (median of ${perEvent.length}): ${median(perEvent).toFixed(1)} ms`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const demoStarted = Date.now();
  const sql = args.postgres ? `PostgreSQL server (${redactPassword(args.postgres)})` : 'PostgreSQL (PGlite)';
  console.log(`Starting local services: ${sql}, Redshift Data API, DynamoDB (dynalite), Step Functions callbacks…`);
  const tasker = await startLocalTasker({
    logLevel: args.verbose ? 'INFO' : 'SILENT',
    dataApi: args.postgres ? { connectionString: args.postgres } : {},
  });
  const servicesMs = Date.now() - demoStarted;
  console.log(`Ready in ${seconds(servicesMs)}. Handler: dist/tasker-handler.zip as ${tasker.functionArn}\n`);
  try {
    console.log(`Running the example ELT state machine (${args.orders} orders):`);
    const origin: { at?: number } = {};
    const result = await tasker.run(
      serializeDefinition(eltStateMachine(tasker.functionArn, { orders: args.orders })),
      {},
      {
        executionName: 'demo',
        onStateEvent: (event) => printStateEvent(event, origin),
      },
    );
    await tasker.delivery.idle();
    console.log(`\nExecution ${result.status} in ${seconds(result.durationMs)}`);
    if (result.status !== 'SUCCEEDED') {
      console.log(`Error: ${result.error}\nCause: ${result.cause}`);
      process.exitCode = 1;
    } else {
      const output = result.output as { columns: string[]; topRegions: Record<string, unknown>[][] };
      console.log('\nFinal output:');
      console.log(JSON.stringify(output, null, 2));
      console.log('\nTop regions:');
      console.log(`  ${output.columns.map((c) => pad(c, 12)).join('')}`);
      for (const row of output.topRegions) console.log(`  ${row.map((field) => pad(String(Object.values(field)[0]), 12)).join('')}`);
    }
    console.log(`\nHandler time (SQL excluded):\n${handlerOverhead(tasker.invocations)}`);
  } finally {
    await tasker.stop();
  }
  console.log(`\nDemo finished in ${seconds(Date.now() - demoStarted)} (services ${seconds(servicesMs)}).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
