/**
 * What `npm run synth` costs when nothing changed: scripts/synth.mjs only checks the recorded inputs of
 * the handler bundle and of the compiled app, then synthesises the example app in the same process. Measured
 * against merely loading the provider barrel (`require('@cdktf/provider-aws')`) in a fresh `node`, in
 * the same run, interleaved; and the up-to-date check alone. `cdktf synth` runs the same two commands
 * (cdktf.json's `app`).
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChildFailedError } from './child-process';
import { median, summarize, type SampleSummary } from './stats';

export interface SynthRebuildResult {
  runs: number;
  /** `npm run synth` with the handler up to date, wall. */
  npmSynthMs: SampleSummary;
  /** … its CPU time (npm and every process it ran). */
  npmSynthCpuMs: SampleSummary;
  /** `node scripts/build-handler.mjs` finding the bundle up to date, wall. */
  upToDateCheckMs: SampleSummary;
  /** `node -e "require('@cdktf/provider-aws')"`, wall. */
  barrelLoadMs: SampleSummary;
  barrelLoadCpuMs: SampleSummary;
  /** Medians of the per-round ratios npm run synth ÷ barrel load, wall and CPU. */
  synthToBarrel: number;
  synthToBarrelCpu: number;
}

/**
 * Runs `command` to completion through a small `node` wrapper that times it (wall) and reads, from
 * /proc/self/stat, the CPU time of everything it waited for (npm, the shell, node: cutime + cstime,
 * Linux clock ticks of 10 ms). CPU time is the steadier figure on a shared machine.
 */
const WRAPPER = `
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const [command, ...args] = JSON.parse(process.argv[1]);
const started = performance.now();
const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
const wallMs = performance.now() - started;
const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
// Fields 16 and 17 of stat (cutime, cstime) are at 13 and 14 after the command name.
const cpuMs = (Number(fields[13]) + Number(fields[14])) * 10;
process.stdout.write(JSON.stringify({ status: run.status, stderr: run.stderr, wallMs, cpuMs }));
`;

export async function runTimed(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ ms: number; cpuMs: number; stderr: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', WRAPPER, JSON.stringify([command, ...args])], {
    cwd,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  const result = JSON.parse(stdout) as { status: number | null; stderr: string; wallMs: number; cpuMs: number };
  if (result.status !== 0)
    throw new ChildFailedError(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.slice(-2000)}`);
  return { ms: result.wallMs, cpuMs: result.cpuMs, stderr: result.stderr };
}

/** Thrown when the handler was rebuilt during the measurement: the figure would not be the no-change synth. */
export class UnexpectedRebuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedRebuildError';
  }
}

export async function benchSynthRebuild(options: {
  repoRoot: string;
  scratchDir: string;
  runs: number;
  progress: (message: string) => void;
}): Promise<SynthRebuildResult> {
  const samples = {
    synth: [] as number[],
    synthCpu: [] as number[],
    check: [] as number[],
    barrel: [] as number[],
    barrelCpu: [] as number[],
  };
  // Makes the bundle and the compiled app current before timing (a first build is not what this measures).
  const warmUp = join(options.scratchDir, 'npm-synth-warm-up');
  await runTimed('npm', ['run', '--silent', 'synth'], options.repoRoot, { CDKTF_OUTDIR: warmUp });
  rmSync(warmUp, { recursive: true, force: true });
  for (let run = 0; run < options.runs; run++) {
    const outDir = join(options.scratchDir, `npm-synth-${run}`);
    const synth = await runTimed('npm', ['run', '--silent', 'synth'], options.repoRoot, { CDKTF_OUTDIR: outDir });
    rmSync(outDir, { recursive: true, force: true });
    if (!/up to date/.test(synth.stderr) || /compiled/.test(synth.stderr))
      throw new UnexpectedRebuildError(`npm run synth rebuilt: ${synth.stderr.slice(-500)}`);
    const check = await runTimed(process.execPath, ['scripts/build-handler.mjs'], options.repoRoot, {});
    const barrel = await runTimed(process.execPath, ['-e', "require('@cdktf/provider-aws')"], options.repoRoot, {});
    samples.synth.push(synth.ms);
    samples.synthCpu.push(synth.cpuMs);
    samples.check.push(check.ms);
    samples.barrel.push(barrel.ms);
    samples.barrelCpu.push(barrel.cpuMs);
    options.progress(
      `npm run synth (nothing changed) run ${run + 1}/${options.runs}: ${Math.round(synth.ms)} ms (CPU ${synth.cpuMs}); handler check ` +
        `alone ${Math.round(check.ms)} ms; barrel load ${Math.round(barrel.ms)} ms (CPU ${barrel.cpuMs})`,
    );
  }
  return {
    runs: options.runs,
    npmSynthMs: summarize(samples.synth),
    npmSynthCpuMs: summarize(samples.synthCpu),
    upToDateCheckMs: summarize(samples.check),
    barrelLoadMs: summarize(samples.barrel),
    barrelLoadCpuMs: summarize(samples.barrelCpu),
    synthToBarrel: median(samples.synth.map((ms, i) => ms / samples.barrel[i])),
    synthToBarrelCpu: median(samples.synthCpu.map((ms, i) => ms / samples.barrelCpu[i])),
  };
}
