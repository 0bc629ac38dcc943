/**
 * Cold-start module init of the handler: a fresh `node` requiring the bundled `index.js` (what Lambda
 * loads) against the same handler code unbundled, i.e. the compiled sources resolving the AWS SDK and
 * the other dependencies file by file from node_modules. Runs interleaved; the child also reports how
 * many files and bytes its require loaded.
 */
import { runMeasuredChild } from './child-process';
import { summarize, type SampleSummary } from './stats';

export interface InitReport {
  initMs: number;
  /** CPU time (user + system) spent in the require. */
  initCpuMs: number;
  files: number;
  bytes: number;
}

export interface ColdStartVariant {
  initMs: SampleSummary;
  initCpuMs: SampleSummary;
  files: number;
  bytesLoaded: number;
}

export interface ColdStartResult {
  runs: number;
  bundled: ColdStartVariant;
  /** The bundle with `--enable-source-maps`, as the construct runs it (NODE_OPTIONS). */
  bundledWithSourceMaps: ColdStartVariant;
  unbundled: ColdStartVariant;
}

/** Measures `require(target)` inside the child; counts the files it loaded and their bytes. */
const initScript = (target: string): string => `
const { performance } = require('node:perf_hooks');
const { statSync } = require('node:fs');
const before = new Set(Object.keys(require.cache));
const started = performance.now();
const cpuBefore = process.cpuUsage();
const loaded = require(${JSON.stringify(target)});
const initMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (typeof loaded.handler !== 'function') throw new Error('no handler exported by ' + ${JSON.stringify(target)});
const files = Object.keys(require.cache).filter((file) => !before.has(file));
globalThis.report = { initMs, initCpuMs: (cpu.user + cpu.system) / 1000, files: files.length, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) };
`;

export async function benchColdStart(options: {
  repoRoot: string;
  bundlePath: string;
  unbundledPath: string;
  scratchDir: string;
  runs: number;
  progress: (message: string) => void;
}): Promise<ColdStartResult> {
  const variants = {
    bundled: { target: options.bundlePath, nodeArgs: [] as string[] },
    bundledWithSourceMaps: { target: options.bundlePath, nodeArgs: ['--enable-source-maps'] },
    unbundled: { target: options.unbundledPath, nodeArgs: [] as string[] },
  };
  const reports: Record<keyof typeof variants, InitReport[]> = { bundled: [], bundledWithSourceMaps: [], unbundled: [] };
  // The handler reads its configuration on first call, not at load; only the logger reads the environment.
  const env = { POWERTOOLS_LOG_LEVEL: 'INFO', AWS_REGION: 'us-east-1' };
  for (let run = 0; run < options.runs; run++) {
    for (const [name, variant] of Object.entries(variants) as [keyof typeof variants, (typeof variants)['bundled']][]) {
      const result = await runMeasuredChild<InitReport>(initScript(variant.target), {
        cwd: options.repoRoot,
        env,
        nodeArgs: variant.nodeArgs,
        scratchDir: options.scratchDir,
      });
      reports[name].push(result.report);
    }
    options.progress(`cold start run ${run + 1}/${options.runs}: bundled ${reports.bundled[run].initMs.toFixed(0)} ms (CPU ${reports.bundled[run].initCpuMs.toFixed(0)}), unbundled ${reports.unbundled[run].initMs.toFixed(0)} ms (CPU ${reports.unbundled[run].initCpuMs.toFixed(0)})`);
  }
  const summary = (list: InitReport[]): ColdStartVariant => ({
    initMs: summarize(list.map((r) => r.initMs)),
    initCpuMs: summarize(list.map((r) => r.initCpuMs)),
    files: list[0].files,
    bytesLoaded: list[0].bytes,
  });
  return {
    runs: options.runs,
    bundled: summary(reports.bundled),
    bundledWithSourceMaps: summary(reports.bundledWithSourceMaps),
    unbundled: summary(reports.unbundled),
  };
}
