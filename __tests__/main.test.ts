import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_STACKS } from '../examples/app';

const repoRoot = join(__dirname, '..');

describe('main.ts (the cdktf app)', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'main-synth-'));
    // The app as `cdktf synth` runs it, in a child process; CDKTF_OUTDIR is how the CLI names the output folder.
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      stdio: 'pipe',
    });
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('synthesises every example stack into the output folder', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual([...EXAMPLE_STACKS].sort());
    for (const stack of EXAMPLE_STACKS) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(json.resource.aws_lambda_function).length).toBeGreaterThan(0);
      expect(json.output.tasker_function_arn.value).toMatch(/^\$\{aws_lambda_function\..+\.arn\}$/);
    }
  });
});
