/**
 * Runs a measured step in a fresh `node` process and reads back what it reports: the wall time seen
 * from outside (process start to exit) and, from inside, its peak RSS and anything the script adds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ChildRun<T> {
  /** Spawn to exit, in ms. */
  wallMs: number;
  /** Peak resident set size of the child, in bytes (`process.resourceUsage().maxRSS`). */
  maxRssBytes: number;
  /**
   * CPU time (user + system) of the child, in ms: steadier than wall time on a shared machine, where
   * wall time also counts waiting for a core.
   */
  cpuMs: number;
  /** What the script put in `report` (see `runMeasuredChild`). */
  report: T;
}

/** Thrown when the measured child fails: the benchmark would otherwise time an error path. */
export class ChildFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChildFailedError';
  }
}

export interface MeasuredChildOptions {
  cwd: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  scratchDir: string;
  /** The `node` executable. @default process.execPath (the node running the bench) */
  nodePath?: string;
  /**
   * How the script runs: `commonjs` with `node -e`, or `module` as the file `entry.mjs` (an ES-module
   * entry, as the Lambda Node.js runtime starts; top-level `await` allowed).
   * @default 'commonjs'
   */
  entry?: 'commonjs' | 'module';
}

/**
 * Runs `script` in `cwd`, as CommonJS or as an ES-module entry (`options.entry`). The script may assign
 * `globalThis.report`; at exit the child writes `{ report, maxRss }` to a scratch file the parent reads.
 */
export async function runMeasuredChild<T = unknown>(script: string, options: MeasuredChildOptions): Promise<ChildRun<T>> {
  const dir = mkdtempSync(join(options.scratchDir, 'child-'));
  const reportFile = join(dir, 'report.json');
  const esm = options.entry === 'module';
  const writeReport = `(${JSON.stringify(reportFile)},
  JSON.stringify({ report: globalThis.report ?? null, maxRss: process.resourceUsage().maxRSS, cpu: process.cpuUsage() }))`;
  const wrapper = esm
    ? [
        `import { writeFileSync as writeReportFile } from 'node:fs';`,
        `process.on('exit', () => writeReportFile${writeReport});`,
        script,
      ].join('\n')
    : [`process.on('exit', () => require('node:fs').writeFileSync${writeReport});`, script].join('\n');
  const entryFile = join(dir, 'entry.mjs');
  if (esm) writeFileSync(entryFile, wrapper);
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(options.nodePath ?? process.execPath, [...(options.nodeArgs ?? []), ...(esm ? [entryFile] : ['-e', wrapper])], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stderr: err }));
  });
  const wallMs = performance.now() - started;
  try {
    if (code !== 0) throw new ChildFailedError(`measured child exited with ${code}: ${stderr.slice(-2000)}`);
    const { report, maxRss, cpu } = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      report: T;
      maxRss: number;
      cpu: { user: number; system: number };
    };
    return { wallMs, maxRssBytes: maxRss * 1024, cpuMs: (cpu.user + cpu.system) / 1000, report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
