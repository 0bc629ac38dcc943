/**
 * What `npm run synth` costs when nothing changed: scripts/synth.mjs only checks the recorded inputs of
 * the handler bundle and of the compiled app, then synthesises the example app in the same process. Measured
 * against merely loading the provider barrel (`require('@cdktf/provider-aws')`) in a fresh `node`, in
 * the same run, interleaved; and the up-to-date check alone. `cdktf synth` runs the same two commands
 * (cdktf.json's `app`).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChildFailedError } from './child-process';
import { median, summarize, type SampleSummary } from './stats';

export interface SynthRebuildResult {
  runs: number;
  /** `npm run synth` with the handler up to date, wall. */
  npmSynthMs: SampleSummary;
  /** `node scripts/build-handler.mjs` finding the bundle up to date, wall. */
  upToDateCheckMs: SampleSummary;
  /** `node -e "require('@cdktf/provider-aws')"`, wall. */
  barrelLoadMs: SampleSummary;
  /** Median of the per-round ratios npm run synth ÷ barrel load. */
  synthToBarrel: number;
}

async function timed(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ ms: number; stderr: string }> {
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stderr: err }));
  });
  if (code !== 0) throw new ChildFailedError(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  return { ms: performance.now() - started, stderr };
}

/** Thrown when the handler was rebuilt during the measurement: the figure would not be the no-change synth. */
export class UnexpectedRebuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedRebuildError';
  }
}

export async function benchSynthRebuild(options: { repoRoot: string; scratchDir: string; runs: number; progress: (message: string) => void }): Promise<SynthRebuildResult> {
  const samples = { synth: [] as number[], check: [] as number[], barrel: [] as number[] };
  // Makes the bundle and the compiled app current before timing (a first build is not what this measures).
  const warmUp = join(options.scratchDir, 'npm-synth-warm-up');
  await timed('npm', ['run', '--silent', 'synth'], options.repoRoot, { CDKTF_OUTDIR: warmUp });
  rmSync(warmUp, { recursive: true, force: true });
  for (let run = 0; run < options.runs; run++) {
    const outDir = join(options.scratchDir, `npm-synth-${run}`);
    const synth = await timed('npm', ['run', '--silent', 'synth'], options.repoRoot, { CDKTF_OUTDIR: outDir });
    rmSync(outDir, { recursive: true, force: true });
    if (!/up to date/.test(synth.stderr) || /compiled/.test(synth.stderr)) throw new UnexpectedRebuildError(`npm run synth rebuilt: ${synth.stderr.slice(-500)}`);
    const check = await timed(process.execPath, ['scripts/build-handler.mjs'], options.repoRoot, {});
    const barrel = await timed(process.execPath, ['-e', "require('@cdktf/provider-aws')"], options.repoRoot, {});
    samples.synth.push(synth.ms);
    samples.check.push(check.ms);
    samples.barrel.push(barrel.ms);
    options.progress(`npm run synth (handler up to date) run ${run + 1}/${options.runs}: ${Math.round(synth.ms)} ms; check alone ${Math.round(check.ms)} ms; barrel load ${Math.round(barrel.ms)} ms`);
  }
  return {
    runs: options.runs,
    npmSynthMs: summarize(samples.synth),
    upToDateCheckMs: summarize(samples.check),
    barrelLoadMs: summarize(samples.barrel),
    synthToBarrel: median(samples.synth.map((ms, i) => ms / samples.barrel[i])),
  };
}
