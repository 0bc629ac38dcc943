import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildFailedError, runMeasuredChild } from '../../bench/child-process';

describe('bench/child-process', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'bench-child-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('returns what the child reports, its wall time, CPU time and peak RSS; cleans its scratch files', async () => {
    const script = `
      const block = Buffer.alloc(64 * 1024 * 1024, 1); // touch 64 MB so the peak RSS shows it
      const until = Date.now() + 50; while (Date.now() < until) {} // burn some CPU
      globalThis.report = { answer: 42, env: process.env.BENCH_TEST_VALUE, bytes: block.length };`;
    const run = await runMeasuredChild<{ answer: number; env: string; bytes: number }>(script, {
      cwd: scratch,
      env: { BENCH_TEST_VALUE: 'passed through' },
      scratchDir: scratch,
    });
    expect(run.report).toEqual({ answer: 42, env: 'passed through', bytes: 64 * 1024 * 1024 });
    expect(run.wallMs).toBeGreaterThanOrEqual(50);
    expect(run.cpuMs).toBeGreaterThanOrEqual(40);
    expect(run.maxRssBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('passes node options to the child', async () => {
    const run = await runMeasuredChild<string[]>('globalThis.report = process.execArgv;', {
      cwd: scratch,
      nodeArgs: ['--enable-source-maps'],
      scratchDir: scratch,
    });
    expect(run.report).toContain('--enable-source-maps');
  });

  it('runs the script as an ES-module entry file (top-level await, import) with the node given', async () => {
    const script =
      `
      import { createRequire } from 'node:module';
      await new Promise((resolve) => setTimeout(resolve, 10));
      globalThis.report = { esm: typeof require === 'undefined', entry: process.argv[1].endsWith('entry.mjs'), exec: process.execPath, ` +
      `cjsCache: typeof createRequire(import.meta.url).cache };`;
    const run = await runMeasuredChild<Record<string, unknown>>(script, {
      cwd: scratch,
      scratchDir: scratch,
      entry: 'module',
      nodePath: process.execPath,
    });
    expect(run.report).toEqual({ esm: true, entry: true, exec: process.execPath, cjsCache: 'object' });
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('fails with ChildFailedError (and the child’s stderr) when the child fails', async () => {
    const failing = runMeasuredChild('throw new Error("synth broke")', { cwd: scratch, scratchDir: scratch });
    await expect(failing).rejects.toThrow(ChildFailedError);
    await expect(runMeasuredChild('throw new Error("synth broke")', { cwd: scratch, scratchDir: scratch })).rejects.toThrow(/synth broke/);
  });
});
