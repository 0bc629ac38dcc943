import { App } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExampleApp, EXAMPLE_STACKS } from '../../examples/app';
import { SqlResourcesExampleStack } from '../../examples/sql-resources/stack';
import { EXAMPLE_STATE_MACHINES } from '../../examples/state-machines';
import { terraformVersion } from '../support/terraform-cli';
import { listFiles, makeProvidersOffline, terraform } from './example-helpers';

const repoRoot = join(__dirname, '..', '..');

describe('example app output is deterministic', () => {
  let first: string;
  let second: string;
  beforeAll(() => {
    first = mkdtempSync(join(tmpdir(), 'example-synth-a-'));
    second = mkdtempSync(join(tmpdir(), 'example-synth-b-'));
    buildExampleApp({ outdir: first }).synth();
    buildExampleApp({ outdir: second }).synth();
  });
  afterAll(() => {
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  });

  test('holds every example stack with its handler asset', () => {
    const files = listFiles(first);
    for (const stack of EXAMPLE_STACKS) {
      expect(files).toContain(`stacks/${stack}/cdk.tf.json`);
      expect(files.some((f) => f.startsWith(`stacks/${stack}/assets/`) && f.endsWith('/tasker-handler.zip'))).toBe(true);
    }
    const zip = files.find((f) => f.endsWith('tasker-handler.zip')) as string;
    expect(readFileSync(join(first, zip)).equals(readFileSync(join(repoRoot, 'dist', 'tasker-handler.zip')))).toBe(true);
  });

  test('the cluster stack holds the example state machines', () => {
    const cluster = JSON.parse(readFileSync(join(first, 'stacks', 'cluster-example', 'cdk.tf.json'), 'utf8'));
    const names = Object.values(cluster.resource.aws_sfn_state_machine as Record<string, { name: string }>).map((m) => m.name);
    expect(names.sort()).toEqual(EXAMPLE_STATE_MACHINES.map((example) => `cluster-example-${example.id}`).sort());
    expect(Object.keys(cluster.output.example_state_machine_arns.value).sort()).toEqual(EXAMPLE_STATE_MACHINES.map((e) => e.id).sort());
  });

  test("the app's SQL resources stack is byte-identical to the one its own test plans", () => {
    // __tests__/examples/sql-resources/stack.test.ts plans the stack on its own; this ties that plan to the app.
    const alone = mkdtempSync(join(tmpdir(), 'example-synth-sql-'));
    try {
      const app = new App({ outdir: alone, stackTraces: false });
      new SqlResourcesExampleStack(app, 'sql-resources-example');
      app.synth();
      const file = join('stacks', 'sql-resources-example', 'cdk.tf.json');
      expect(readFileSync(join(first, file), 'utf8')).toBe(readFileSync(join(alone, file), 'utf8'));
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });

  test('two synths into different folders are byte-identical', () => {
    const files = listFiles(first);
    expect(listFiles(second)).toEqual(files);
    for (const file of files) {
      expect({ file, same: readFileSync(join(first, file)).equals(readFileSync(join(second, file))) }).toEqual({ file, same: true });
    }
  });

  test('no absolute path of this machine appears in the output', () => {
    const forbidden = [first, second, repoRoot, homedir(), tmpdir(), process.cwd()];
    for (const file of listFiles(first).filter((f) => !f.endsWith('.zip'))) {
      const text = readFileSync(join(first, file), 'utf8');
      for (const path of forbidden) expect({ file, containsPath: text.includes(path) }).toEqual({ file, containsPath: false });
      expect({ file, absolute: /"\/(home|root|tmp|Users|var)\//.test(text) }).toEqual({ file, absolute: false });
    }
  });
});

const tfVersion = terraformVersion();
const describeWithTerraform = tfVersion ? describe : describe.skip;
if (!tfVersion) {
  // Visible in the test output: these tests need the terraform CLI.
  console.warn('terraform is not installed: skipping terraform init/validate/plan of the example stacks');
}

/**
 * Stacks this file plans. `sql-resources-example` is planned by its own test (and shown above to be the same
 * stack as in the app): planning it twice would add ~15 s for nothing.
 */
const PLANNED_HERE = EXAMPLE_STACKS.filter((stack) => stack !== 'sql-resources-example');

describeWithTerraform(`example app with terraform ${tfVersion ?? '(not installed)'}, offline`, () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'example-plan-'));
    const app = buildExampleApp({ outdir });
    makeProvidersOffline(app);
    app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test.each([...PLANNED_HERE])('%s: init, validate and plan create every resource', (stackName) => {
    const dir = join(outdir, 'stacks', stackName);
    terraform(dir, ['init', '-input=false', '-no-color']);
    const validation = JSON.parse(terraform(dir, ['validate', '-json', '-no-color']));
    expect({ valid: validation.valid, errors: validation.error_count, warnings: validation.warning_count }).toEqual({
      valid: true,
      errors: 0,
      warnings: 0,
    });
    terraform(dir, ['plan', '-input=false', '-lock=false', '-no-color', '-out=plan.bin']);
    const plan = JSON.parse(terraform(dir, ['show', '-json', 'plan.bin']));
    const changes = plan.resource_changes as Array<{
      type: string;
      change: { actions: string[]; after_unknown?: Record<string, unknown> };
    }>;
    const synthesized = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    const declared = Object.values(synthesized.resource as Record<string, object>).reduce((n, byId) => n + Object.keys(byId).length, 0);
    expect(changes.length).toBe(declared);
    expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);
    expect(new Set(changes.map((c) => c.type))).toEqual(new Set(Object.keys(synthesized.resource)));
    expect(Object.keys(plan.planned_values.outputs ?? plan.output_changes ?? {})).toEqual(
      expect.arrayContaining(['statement_name_prefix', ...Object.keys(synthesized.output)]),
    );
    // The state machines' definitions hold the tasker ARN, unknown until apply, so the provider cannot
    // check them online at plan time: the plan stays offline.
    const machines = changes.filter((c) => c.type === 'aws_sfn_state_machine');
    expect(machines).toHaveLength(stackName === 'cluster-example' ? EXAMPLE_STATE_MACHINES.length : 0);
    expect(machines.every((c) => c.change.after_unknown?.definition === true)).toBe(true);
  });
});
