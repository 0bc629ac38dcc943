/**
 * Synth wall time of the example app, deep imports (as shipped) against the same compiled app with
 * barrel imports: `node <variant>/main.js` in a fresh process per run, runs interleaved so load on the
 * machine hits both alike, each run into its own output folder. The first run's Terraform JSON of the
 * two variants is compared: they must be identical, or the comparison is void.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasuredChild } from './child-process';
import { summarize, type SampleSummary } from './stats';

export interface SynthVariantResult {
  wallMs: SampleSummary;
  /** CPU time (user + system) of the process. */
  cpuMs: SampleSummary;
  maxRssBytes: SampleSummary;
}

export interface SynthBenchResult {
  runs: number;
  deep: SynthVariantResult;
  barrel: SynthVariantResult;
  /** Requires rewritten to make the barrel variant. */
  rewrittenImports: number;
  /** The stacks synthesised (compared byte for byte between the variants). */
  stacks: string[];
}

/** Thrown when the two variants synthesise different Terraform. */
export class SynthMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthMismatchError';
  }
}

const stackJson = (outDir: string): Map<string, string> => {
  const stacksDir = join(outDir, 'stacks');
  return new Map(
    readdirSync(stacksDir)
      .sort()
      .map((stack) => [stack, readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')]),
  );
};

export async function benchSynth(options: {
  repoRoot: string;
  deepMain: string;
  barrelMain: string;
  scratchDir: string;
  runs: number;
  rewrittenImports: number;
  progress: (message: string) => void;
}): Promise<SynthBenchResult> {
  const samples = {
    deep: { wall: [] as number[], cpu: [] as number[], rss: [] as number[] },
    barrel: { wall: [] as number[], cpu: [] as number[], rss: [] as number[] },
  };
  let stacks: string[] = [];
  for (let run = 0; run < options.runs; run++) {
    const outDirs: Record<'deep' | 'barrel', string> = { deep: '', barrel: '' };
    for (const variant of ['deep', 'barrel'] as const) {
      const outDir = join(options.scratchDir, `synth-${variant}-${run}`);
      rmSync(outDir, { recursive: true, force: true });
      const main = variant === 'deep' ? options.deepMain : options.barrelMain;
      const result = await runMeasuredChild(`require(${JSON.stringify(main)});`, {
        cwd: options.repoRoot,
        env: { CDKTF_OUTDIR: outDir },
        scratchDir: options.scratchDir,
      });
      samples[variant].wall.push(result.wallMs);
      samples[variant].rss.push(result.maxRssBytes);
      samples[variant].cpu.push(result.cpuMs);
      outDirs[variant] = outDir;
      options.progress(
        `synth ${variant} run ${run + 1}/${options.runs}: ${Math.round(result.wallMs)} ms wall, ${Math.round(result.cpuMs)} ms CPU, ` +
          `${Math.round(result.maxRssBytes / 2 ** 20)} MB`,
      );
    }
    if (run === 0) {
      const deep = stackJson(outDirs.deep);
      const barrel = stackJson(outDirs.barrel);
      stacks = [...deep.keys()];
      if (stacks.join() !== [...barrel.keys()].join() || stacks.some((stack) => deep.get(stack) !== barrel.get(stack))) {
        throw new SynthMismatchError(`deep and barrel variants synthesised different Terraform (${outDirs.deep} vs ${outDirs.barrel})`);
      }
    }
    for (const dir of Object.values(outDirs)) rmSync(dir, { recursive: true, force: true });
  }
  return {
    runs: options.runs,
    deep: { wallMs: summarize(samples.deep.wall), cpuMs: summarize(samples.deep.cpu), maxRssBytes: summarize(samples.deep.rss) },
    barrel: { wallMs: summarize(samples.barrel.wall), cpuMs: summarize(samples.barrel.cpu), maxRssBytes: summarize(samples.barrel.rss) },
    rewrittenImports: options.rewrittenImports,
    stacks,
  };
}
