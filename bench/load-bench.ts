/**
 * `npm run bench:load`: N concurrent executions (default 500) of a `sqlTask` with its recommended retries on the
 * whole local flow (the shipped handler zip), under issue 25's faults (load-faults.ts) and a 30 s Step Functions
 * outage, fast path on (1 s) and off. Prints one table (load-analysis.ts says what each row counts) and exits
 * non-zero when any task was stranded, lost or duplicated.
 *
 * The kit runs on AWS's clock (timeScale 1, so latencies are real milliseconds) with the sweep every 5 s and a
 * 15 s grace period instead of the defaults (5 minutes each): the repairs a deployed tasker makes within
 * minutes happen within the run, and the callback retries' own backoff (30 s, 60 s, …) is the real one.
 *
 * `--executions <n>` changes N; `--fast-path on|off` runs one side only; `--time-scale <x>` speeds the kit up.
 */
import { describeMachine, machineInfo } from './machine';
import { analyzeLoad, type LoadFigures } from './load-analysis';
import { faultsFor } from './load-faults';
import { runLoad } from './load-run';
import { formatTable, type Column } from './table';

interface LoadBenchArgs {
  executions: number;
  fastPath: ('on' | 'off')[];
  timeScale: number;
}

function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

export function parseLoadArgs(argv: readonly string[]): LoadBenchArgs {
  const executions = Number(flag(argv, '--executions') ?? 500);
  if (!Number.isInteger(executions) || executions < 1)
    throw new Error(`--executions must be a positive integer, got ${flag(argv, '--executions')}`);
  const side = flag(argv, '--fast-path');
  if (side !== undefined && side !== 'on' && side !== 'off') throw new Error(`--fast-path must be on or off, got ${side}`);
  const timeScale = Number(flag(argv, '--time-scale') ?? 1);
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got ${flag(argv, '--time-scale')}`);
  return { executions, fastPath: side ? [side] : ['on', 'off'], timeScale };
}

/** Whether a run kept every task: nothing stranded, lost or answered twice, nothing started twice. */
export const keptEveryTask = (f: LoadFigures): boolean =>
  f.stranded === 0 && f.lost === 0 && f.duplicateCallbacks === 0 && f.duplicateStarts === 0;

const ms = (value: number): string => (Number.isFinite(value) ? `${(value / 1000).toFixed(2)} s` : 'n/a');
const paths = (f: LoadFigures): string =>
  (['fast', 'event', 'sweep'] as const).map((p) => `${p} ${f.paths[p].firstTry}+${f.paths[p].retried}`).join(', ');

/** The table's rows: one measure per row, one column per run. */
export function loadRows(figures: readonly LoadFigures[]): string[][] {
  const row = (title: string, cell: (f: LoadFigures) => string | number): string[] => [title, ...figures.map((f) => String(cell(f)))];
  return [
    row('executions by final status', (f) =>
      Object.entries(f.byStatus)
        .sort()
        .map(([status, n]) => `${status} ${n}`)
        .join(', '),
    ),
    row('stranded tasks (SQL ended, task not resumed) / lost executions', (f) => `${f.stranded} / ${f.lost}`),
    row(
      'duplicate callbacks (2 accepted answers for one token) / duplicate starts',
      (f) => `${f.duplicateCallbacks} / ${f.duplicateStarts}`,
    ),
    row('callbacks refused (outage, bursts) / of them refused as already closed', (f) => `${f.refusedCallbacks} / ${f.refusedAsClosed}`),
    row('ExecuteStatement throttles absorbed', (f) => f.throttled),
    row('peak active statements (limit 200)', (f) => f.peakActiveStatements),
    row(
      'wall time, first start → last execution end / executions per s',
      (f) => `${f.wallSeconds.toFixed(1)} s / ${f.executionsPerSecond.toFixed(1)}`,
    ),
    row('statement end → task resumed, p50 / p95 / max', (f) => `${ms(f.resumeP50Ms)} / ${ms(f.resumeP95Ms)} / ${ms(f.resumeMaxMs)}`),
    row(
      'that p50 for callbacks accepted at the first try / after refused attempts',
      (f) => `${ms(f.resumeP50FirstTryMs)} / ${ms(f.resumeP50RetriedMs)}`,
    ),
    row('accepted callback sent by (first try + after refused attempts)', paths),
    row('DLQ messages', (f) => f.deadLetters),
    row('items left RUNNING / with a pending callback', (f) => `${f.itemsRunning} / ${f.itemsPendingCallback}`),
  ];
}

export async function loadBench(args: LoadBenchArgs, progress: (m: string) => void): Promise<{ table: string; figures: LoadFigures[] }> {
  const figures: LoadFigures[] = [];
  for (const side of args.fastPath) {
    progress(`${args.executions} executions, fast path ${side}…`);
    const records = await runLoad({
      executions: args.executions,
      fastPathSeconds: side === 'on' ? 1 : 0,
      faults: faultsFor(args.executions),
      timeScale: args.timeScale,
      progress,
    });
    figures.push(analyzeLoad(records));
  }
  const columns: Column[] = [
    { title: 'Measure' },
    ...args.fastPath.map((side) => ({ title: `fast path ${side}`, align: 'right' as const })),
  ];
  return { table: formatTable(columns, loadRows(figures)), figures };
}

if (require.main === module) {
  void (async () => {
    const args = parseLoadArgs(process.argv.slice(2));
    const progress = (m: string): void => void process.stderr.write(`[bench load] ${m}\n`);
    const machine = describeMachine(machineInfo());
    const { table, figures } = await loadBench(args, progress);
    const day = new Date().toISOString().slice(0, 10);
    process.stdout.write(`${table}\n${args.executions} executions per run, timeScale ${args.timeScale}; ${machine}; ${day}.\n`);
    if (!figures.every(keptEveryTask)) {
      process.stderr.write('some task was stranded, lost or duplicated\n');
      process.exitCode = 1;
    }
  })().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
