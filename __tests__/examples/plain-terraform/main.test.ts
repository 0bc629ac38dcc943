/**
 * The plain-Terraform example (examples/plain-terraform/main.tf): the built module, called twice with
 * `for_each`, plus a state machine, goes through terraform init, validate and plan offline. The module
 * is built into a scratch folder and the example copied beside it, as a user copying the folder would.
 */
import { join } from 'node:path';
import {
  buildModuleIn,
  copyExample,
  describeIfTerraform,
  REPO_ROOT,
  scratchDir,
  terraform,
  OFFLINE_PROVIDER_OVERRIDE,
} from '../../module-builder/support/terraform-module-fixture';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
}
interface PlanJson {
  readonly planned_values: {
    readonly outputs: Record<string, { readonly value?: unknown }>;
    readonly root_module: { readonly resources?: PlannedResource[]; readonly child_modules?: PlanModule[] };
  };
}
interface PlanModule {
  readonly resources?: PlannedResource[];
  readonly child_modules?: PlanModule[];
}

function allResources(module: PlanModule): PlannedResource[] {
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(allResources)];
}

describeIfTerraform('examples/plain-terraform with the built module (offline)', () => {
  const root = scratchDir('plain-terraform');
  const exampleDir = join(root, 'examples', 'plain-terraform');
  const timings: Record<string, number> = {};
  let plan: PlanJson;
  let resources: PlannedResource[];

  beforeAll(() => {
    const started = performance.now();
    buildModuleIn(root);
    timings.build = Math.round(performance.now() - started);
    copyExample(join(REPO_ROOT, 'examples', 'plain-terraform'), exampleDir);
    writeFileSync(join(exampleDir, 'offline_override.tf'), OFFLINE_PROVIDER_OVERRIDE);
    const init = terraform(exampleDir, ['init', '-input=false', '-no-color']);
    timings.init = init.ms;
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  });

  afterAll(() => {
    // eslint-disable-next-line no-console
    console.info(`plain-terraform example timings (ms): ${JSON.stringify(timings)}`);
  });

  it('validates', () => {
    const run = terraform(exampleDir, ['validate', '-no-color']);
    timings.validate = run.ms;
    expect(run.output).toContain('Success! The configuration is valid.');
    expect(run.status).toBe(0);
  });

  it('plans both taskers and the state machine', () => {
    const run = terraform(exampleDir, ['plan', '-input=false', '-no-color', '-out=tfplan']);
    timings.plan = run.ms;
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    const show = terraform(exampleDir, ['show', '-json', 'tfplan']);
    expect(show.status).toBe(0);
    plan = JSON.parse(show.output) as PlanJson;
    resources = allResources(plan.planned_values.root_module);

    const functions = resources.filter((r) => r.type === 'aws_lambda_function');
    expect(functions.map((f) => f.values.function_name).sort()).toEqual(['tasker-reporting-tasker', 'tasker-warehouse-tasker']);
    expect(resources.filter((r) => r.type === 'aws_sfn_state_machine')).toHaveLength(1);
  });

  it("plans the warehouse's sql_resources as staged invocations of its function, replaced on change", () => {
    const invocations = resources.filter((r) => r.type === 'aws_lambda_invocation');
    expect(invocations.map((r) => r.address)).toEqual([
      'module.redshift_tasker["warehouse"].aws_lambda_invocation.sql_resource_stage_0["staging_schema"]',
      // depends_on_keys = ["staging_schema"]: the next stage (created after it, destroyed before it).
      'module.redshift_tasker["warehouse"].aws_lambda_invocation.sql_resource_stage_1["sales_table"]',
    ]);
    for (const invocation of invocations) {
      expect(invocation.values).toMatchObject({ function_name: 'tasker-warehouse-tasker', lifecycle_scope: 'CRUD', terraform_key: 'tf' });
      // No update SQL: a changed definition replaces the entry (the construct's sql_sha256 trigger).
      const input = invocation.values.input as string;
      expect(invocation.values.triggers).toEqual({ sql_sha256: createHash('sha256').update(input).digest('hex') });
    }
    // Only what was written reaches the handler (no null update/parameters, no depends_on_keys).
    expect(JSON.parse(invocations[0].values.input as string)).toEqual({
      create: 'CREATE SCHEMA IF NOT EXISTS staging',
      destroy: 'DROP SCHEMA IF EXISTS staging',
    });
    expect(JSON.parse(invocations[1].values.input as string)).toEqual({
      create: [
        'CREATE TABLE staging.sales (id BIGINT, amount DECIMAL(12, 2), sold_at TIMESTAMP)',
        'GRANT SELECT ON staging.sales TO GROUP reporting',
      ],
      destroy: 'DROP TABLE IF EXISTS staging.sales',
    });
  });

  it('wires the inputs into the functions, queues and rules', () => {
    const warehouse = resources.filter((r) => r.address.startsWith('module.redshift_tasker["warehouse"]'));
    const fn = warehouse.find((r) => r.type === 'aws_lambda_function');
    // The zip is found from the module's own folder, whatever the caller's working directory.
    expect(fn?.values.filename).toBe('../../terraform-module/handler/tasker-handler.zip');
    expect(fn?.values.timeout).toBe(60);
    expect(fn?.values.memory_size).toBe(256);
    const env = (fn!.values.environment as Array<{ variables: Record<string, string> }>)[0].variables;
    expect(env).toMatchObject({
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ABORTED_ERROR_NAME: 'FAILED',
      ITEM_TTL_SECONDS: '86400',
      SWEEP_GRACE_SECONDS: '300',
      REDSHIFT_CLUSTER_IDENTIFIER: 'analytics',
      REDSHIFT_DB_USER: 'etl_user',
      REDSHIFT_DATABASE: 'dev',
      STATEMENT_NAME_PREFIX: 'sfnrs-tasker-warehouse-',
    });
    expect(fn?.values.tags).toEqual({ Project: 'plain-terraform-example' });

    const queue = warehouse.find((r) => r.type === 'aws_sqs_queue' && r.values.name === 'tasker-warehouse-statement-events');
    expect(queue?.values.visibility_timeout_seconds).toBe(360);
    expect(warehouse.find((r) => r.type === 'aws_cloudwatch_log_group')?.values.retention_in_days).toBe(14);

    const rule = warehouse.find((r) => r.type === 'aws_cloudwatch_event_rule' && r.values.name === 'tasker-warehouse-statement-status');
    expect(JSON.parse(rule?.values.event_pattern as string).detail.statementName).toEqual([{ prefix: 'sfnrs-tasker-warehouse-' }]);

    const reportingFn = resources.find(
      (r) => r.address.startsWith('module.redshift_tasker["reporting"]') && r.type === 'aws_lambda_function',
    );
    const reportingEnv = (reportingFn!.values.environment as Array<{ variables: Record<string, string> }>)[0].variables;
    expect(reportingEnv.REDSHIFT_WORKGROUP_NAME).toBe('reporting');
    expect(reportingEnv.REDSHIFT_CLUSTER_IDENTIFIER).toBeUndefined();
  });
});
