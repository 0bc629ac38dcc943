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

  it('fails with ChildFailedError (and the child’s stderr) when the child fails', async () => {
    const failing = runMeasuredChild('throw new Error("synth broke")', { cwd: scratch, scratchDir: scratch });
    await expect(failing).rejects.toThrow(ChildFailedError);
    await expect(runMeasuredChild('throw new Error("synth broke")', { cwd: scratch, scratchDir: scratch })).rejects.toThrow(/synth broke/);
  });
});
