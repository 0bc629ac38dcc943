import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_STACKS } from '../examples/app';
import { EXAMPLE_STATE_MACHINES } from '../examples/state-machines';

const repoRoot = join(__dirname, '..');

describe('main.ts (the cdktf app)', () => {
  let outdir: string;
  /** Runs the app as `cdktf synth` and `npm run synth` do (scripts/synth.mjs) into `dir`; returns its stderr. */
  const synth = (dir: string): string => {
    // CDKTF_OUTDIR is how the CLI names the output folder.
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'synth.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, CDKTF_OUTDIR: dir },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`scripts/synth.mjs exited with ${run.status}: ${run.stderr}`);
    return run.stderr;
  };
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'main-synth-'));
    synth(outdir);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('a second synth with nothing changed rebuilds neither the handler nor the app, and writes the same Terraform', () => {
    const again = mkdtempSync(join(tmpdir(), 'main-synth-again-'));
    try {
      const stderr = synth(again);
      expect(stderr).toMatch(/handler bundle up to date/);
      expect(stderr).not.toMatch(/handler bundle: \d+ B raw|synth app compiled/);
      for (const stack of EXAMPLE_STACKS) {
        expect(readFileSync(join(again, 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(
          readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
        );
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
  const stackJson = (stack: string): Record<string, any> => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

  test('synthesises every example stack into the output folder', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual([...EXAMPLE_STACKS].sort());
    expect(EXAMPLE_STACKS).toEqual(['cluster-example', 'serverless-example', 'sql-resources-example']);
    for (const stack of EXAMPLE_STACKS) {
      expect(Object.keys(stackJson(stack).resource.aws_lambda_function).length).toBeGreaterThan(0);
    }
    for (const stack of ['cluster-example', 'serverless-example']) {
      expect(stackJson(stack).output.tasker_function_arn.value).toMatch(/^\$\{aws_lambda_function\..+\.arn\}$/);
    }
  });

  test('the cluster stack holds the example state machines, with their ARNs in one output', () => {
    const cluster = stackJson('cluster-example');
    expect(Object.keys(cluster.resource.aws_sfn_state_machine)).toHaveLength(EXAMPLE_STATE_MACHINES.length);
    expect(Object.keys(cluster.output.example_state_machine_arns.value).sort()).toEqual(EXAMPLE_STATE_MACHINES.map((e) => e.id).sort());
  });

  test('the SQL resources stack holds its three SQL resources', () => {
    expect(Object.keys(stackJson('sql-resources-example').resource.aws_lambda_invocation)).toHaveLength(3);
  });
});
