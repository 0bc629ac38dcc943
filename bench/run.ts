/**
 * `npm run bench`: measures, in one run, what users of this package pay for against the alternatives
 * (synth time, handler bundle and cold start, per-statement calls and cost, callback vs polling), prints
 * one table (with its notes) on stdout, progress on stderr, and writes the results as JSON to
 * `bench/results/latest.json` (git-ignored).
 *
 * Options:
 * - `--update-readme` also rewrites the generated part of docs/benchmarks.md between its markers.
 * - `--synth-runs N` synth runs per variant (@default 3).
 * - `--cold-start-runs N` fresh processes per cold-start variant (@default 7).
 * - `--out FILE` the JSON file (@default bench/results/latest.json).
 * - `--node PATH` a `node` executable to measure the cold start on; repeat it to compare versions side by
 *   side in one run, e.g. Node 22 (the function's runtime) from the npm registry and the Node 20 the
 *   package supports (@default the node running the bench).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { benchColdStart } from './cold-start';
import { compileProject, makeBarrelVariant } from './compile-app';
import { benchHandler } from './handler-bench';
import { describeMachine, machineInfo } from './machine';
import { unbundledPackages } from './package-size';
import { PRICES } from './prices';
import { replaceBenchSection } from './readme-section';
import { buildModel, buildNotes, buildRows, TABLE_COLUMNS, type BenchResults } from './report';
import { benchSynth } from './synth-bench';
import { benchSynthRebuild } from './synth-rebuild';
import { formatTable } from './table';

export interface BenchOptions {
  updateReadme: boolean;
  synthRuns: number;
  coldStartRuns: number;
  out: string;
  /** `node` executables for the cold start, in table order. */
  nodePaths: string[];
}

/** Thrown for a command-line option the script does not know or a bad value. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

const REPO_ROOT = resolve(__dirname, '..');

export function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    updateReadme: false,
    synthRuns: 3,
    coldStartRuns: 7,
    out: join(REPO_ROOT, 'bench', 'results', 'latest.json'),
    nodePaths: [],
  };
  const count = (name: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 50) throw new BenchUsageError(`${name} needs an integer 1..50, got ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--update-readme') options.updateReadme = true;
    else if (arg === '--synth-runs') options.synthRuns = count(arg, argv[++i]);
    else if (arg === '--cold-start-runs') options.coldStartRuns = count(arg, argv[++i]);
    else if (arg === '--out') {
      const file = argv[++i];
      if (!file) throw new BenchUsageError('--out needs a file name');
      options.out = resolve(file);
    } else if (arg === '--node') {
      const file = argv[++i];
      if (!file) throw new BenchUsageError('--node needs the path of a node executable');
      options.nodePaths.push(resolve(file));
    } else
      throw new BenchUsageError(
        `unknown option ${arg} (known: --update-readme, --synth-runs N, --cold-start-runs N, --out FILE, --node PATH)`,
      );
  }
  if (options.nodePaths.length === 0) options.nodePaths.push(process.execPath);
  return options;
}

const progress = (message: string): void => {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)} s] ${message}\n`);
};

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const machine = machineInfo();
  const date = new Date().toISOString().slice(0, 10);
  // Scratch space inside the repository (git-ignored), so compiled files resolve node_modules as lib/ does.
  const work = join(REPO_ROOT, 'bench', 'results', 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  progress('building the handler bundle (scripts/build-handler.mjs) into a scratch dist/');
  const dist = join(work, 'dist');
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts', 'build-handler.mjs')], {
    cwd: REPO_ROOT,
    env: { ...process.env, HANDLER_DIST_DIR: dist },
  });
  const bundlePath = join(dist, 'handler', 'index.js');
  const shipped = unbundledPackages(bundlePath);
  const build = {
    bundleBytes: statSync(bundlePath).size,
    sourceMapBytes: statSync(`${bundlePath}.map`).size,
    zipBytes: statSync(join(dist, 'tasker-handler.zip')).size,
    unbundledPackages: shipped.packages,
    unbundledPackageBytes: shipped.bytes,
  };

  progress('compiling the app and handler sources; making the barrel-import variant');
  const deepDir = join(work, 'deep');
  const barrelDir = join(work, 'barrel');
  await compileProject(REPO_ROOT, deepDir);
  const barrel = makeBarrelVariant(REPO_ROOT, deepDir, barrelDir);

  const synth = await benchSynth({
    repoRoot: REPO_ROOT,
    deepMain: join(deepDir, 'main.js'),
    barrelMain: join(barrelDir, 'main.js'),
    scratchDir: work,
    runs: options.synthRuns,
    rewrittenImports: barrel.rewritten,
    progress,
  });
  const synthRebuild = await benchSynthRebuild({ repoRoot: REPO_ROOT, scratchDir: work, runs: options.synthRuns, progress });
  const coldStart = await benchColdStart({
    repoRoot: REPO_ROOT,
    bundlePath,
    unbundledPath: join(deepDir, 'functions', 'tasker', 'index.js'),
    scratchDir: work,
    runs: options.coldStartRuns,
    nodePaths: options.nodePaths,
    progress,
  });
  const handler = await benchHandler({ bundlePath, progress });

  const results: BenchResults = { build, synth, synthRebuild, coldStart, handler };
  const model = buildModel(results, PRICES);
  const rows = buildRows(results, model);
  const notes = buildNotes(results, model, PRICES);
  const table = formatTable(TABLE_COLUMNS, rows);
  const benchSeconds = (performance.now() - started) / 1000;
  const header = `Measured ${date} on ${describeMachine(machine)}; bench run took ${benchSeconds.toFixed(0)} s.`;
  const text = [header, '', table, '', ...notes.map((note) => `- ${note}`)].join('\n');
  process.stdout.write(`${text}\n`);

  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  const json = {
    date,
    machine: { ...machine, loadAverageAtEnd: Number(loadavg()[0].toFixed(2)) },
    benchSeconds,
    prices: PRICES,
    options: { synthRuns: options.synthRuns, coldStartRuns: options.coldStartRuns, nodePaths: options.nodePaths },
    results,
    model,
    table: { columns: TABLE_COLUMNS.map((column) => column.title), rows },
    notes,
  };
  writeFileSync(options.out, `${JSON.stringify(json, null, 2)}\n`);
  progress(`wrote ${options.out}`);

  if (options.updateReadme) {
    const readmePath = join(REPO_ROOT, 'docs', 'benchmarks.md');
    const section = [text, '', 'Reproduce with `npm run bench` (about two minutes; `-- --update-readme` rewrites this section).'].join(
      '\n',
    );
    writeFileSync(readmePath, replaceBenchSection(readFileSync(readmePath, 'utf8'), section));
    progress('updated the generated part of docs/benchmarks.md');
  }
  rmSync(work, { recursive: true, force: true });
  progress(`done in ${benchSeconds.toFixed(1)} s`);
}

if (require.main === module) {
  main().then(
    // The in-process handler's SDK clients keep sockets open; the measurements are written, so leave now.
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
