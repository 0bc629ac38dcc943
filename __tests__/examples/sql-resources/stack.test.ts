/**
 * The SQL resources example: the synthesized invocations, Terraform's offline init/validate/plan, and the
 * whole lifecycle Terraform would drive (create in dependency order, an in-place update, destroy in reverse)
 * run through the handler on the PostgreSQL-backed local Data API with the example's own synthesized inputs.
 */
import { App, Testing } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERRORS, TERRAFORM_LIFECYCLE } from '../../../functions/shared/contract';
import { handler } from '../../../functions/tasker/index';
import { SqlResourcesExampleStack, type SqlResourcesExampleStackProps } from '../../../examples/sql-resources/stack';
import type { LambdaHandler } from '../../../local/lambda/handler-bundle';
import { invokeLambda } from '../../../local/lambda/invoke';
import { startLocalRedshiftData, type LocalRedshiftData } from '../../../local/redshift-data';
import { startHandlerHarness, type HandlerHarness } from '../../support/handler/harness';
import { terraformVersion } from '../../support/terraform-cli';
import { makeProvidersOffline, terraform } from '../example-helpers';

type Json = Record<string, any>;
const NAMES = ['schema', 'user', 'grants'] as const;
type Name = (typeof NAMES)[number];

/** The synthesized invocations of the example, by role, plus their logical ids. */
function synthExample(props: SqlResourcesExampleStackProps = {}): {
  json: Json;
  ids: Record<Name, string>;
  invocations: Record<Name, Json>;
} {
  const stack = new SqlResourcesExampleStack(Testing.app(), 'sql-resources-example', props);
  const json = JSON.parse(Testing.synth(stack));
  const ids = Object.fromEntries(NAMES.map((name) => [name, stack.getLogicalId(stack[name].invocation)])) as Record<Name, string>;
  const invocations = Object.fromEntries(NAMES.map((name) => [name, json.resource.aws_lambda_invocation[ids[name]]])) as Record<Name, Json>;
  return { json, ids, invocations };
}

/** Creation order Terraform follows: a resource after everything in its depends_on. */
function creationOrder(ids: Record<Name, string>, invocations: Record<Name, Json>): Name[] {
  const order: Name[] = [];
  const visit = (name: Name): void => {
    if (order.includes(name)) return;
    for (const dependency of invocations[name].depends_on ?? []) {
      const found = NAMES.find((other) => dependency === `aws_lambda_invocation.${ids[other]}`);
      if (found) visit(found);
    }
    order.push(name);
  };
  NAMES.forEach(visit);
  return order;
}

describe('SqlResourcesExampleStack: synthesized resources', () => {
  const { json, ids, invocations } = synthExample();

  test('three CRUD invocations of the tasker function, each after the role policy', () => {
    const fn = Object.keys(json.resource.aws_lambda_function)[0];
    const policy = Object.keys(json.resource.aws_iam_role_policy)[0];
    expect(Object.keys(json.resource.aws_lambda_invocation)).toHaveLength(3);
    for (const name of NAMES) {
      expect(invocations[name]).toMatchObject({
        function_name: `\${aws_lambda_function.${fn}.function_name}`,
        lifecycle_scope: TERRAFORM_LIFECYCLE.SCOPE,
        terraform_key: TERRAFORM_LIFECYCLE.KEY,
      });
      expect(invocations[name].depends_on).toContain(`aws_iam_role_policy.${policy}`);
    }
  });

  test('the grants come after (and are destroyed before) the schema and the user', () => {
    expect(invocations.grants.depends_on).toEqual(
      expect.arrayContaining([`aws_lambda_invocation.${ids.schema}`, `aws_lambda_invocation.${ids.user}`]),
    );
    expect(invocations.schema.depends_on).toHaveLength(1);
    expect(invocations.user.depends_on).toHaveLength(1);
    expect(creationOrder(ids, invocations).at(-1)).toBe('grants');
  });

  test('inputs carry the Redshift SQL; the user updates in place, schema and grants are replaced on change', () => {
    expect(JSON.parse(invocations.schema.input)).toEqual({
      create: 'CREATE SCHEMA IF NOT EXISTS analytics',
      destroy: 'DROP SCHEMA IF EXISTS analytics',
    });
    expect(JSON.parse(invocations.user.input)).toEqual({
      create: 'CREATE USER analytics_reader PASSWORD DISABLE CONNECTION LIMIT 10',
      update: ['ALTER USER analytics_reader PASSWORD DISABLE', 'ALTER USER analytics_reader CONNECTION LIMIT 10'],
      destroy: 'DROP USER IF EXISTS analytics_reader',
    });
    const grants = JSON.parse(invocations.grants.input);
    expect(grants.create).toHaveLength(3);
    expect(grants.destroy).toHaveLength(3);
    expect(invocations.user.triggers).toEqual({ user_name: 'analytics_reader' });
    expect(Object.keys(invocations.schema.triggers)).toEqual(['sql_sha256']);
    expect(Object.keys(invocations.grants.triggers)).toEqual(['sql_sha256']);
  });

  test('a new connection limit changes only the user input (in-place update); a new user name replaces user and grants', () => {
    const limit20 = synthExample({ connectionLimit: 20 }).invocations;
    expect(limit20.user.triggers).toEqual(invocations.user.triggers);
    expect(limit20.user.input).not.toBe(invocations.user.input);
    expect(limit20.schema).toEqual(invocations.schema);
    expect(limit20.grants).toEqual(invocations.grants);
    // A new password clause is an in-place update too, and the update SQL applies it.
    const newPassword = synthExample({ passwordClause: "PASSWORD 'Rotated1'" }).invocations;
    expect(newPassword.user.triggers).toEqual(invocations.user.triggers);
    expect(JSON.parse(newPassword.user.input).update).toContain("ALTER USER analytics_reader PASSWORD 'Rotated1'");
    const renamed = synthExample({ userName: 'bi_reader' }).invocations;
    expect(renamed.user.triggers).toEqual({ user_name: 'bi_reader' });
    expect(renamed.grants.triggers.sql_sha256).not.toBe(invocations.grants.triggers.sql_sha256);
  });

  test('outputs the statement id of the grants from the stored result', () => {
    expect(json.output.grants_statement_id.value).toContain(`aws_lambda_invocation.${ids.grants}.result`);
  });
});

const tfVersion = terraformVersion();
const describeWithTerraform = tfVersion ? describe : describe.skip;
if (!tfVersion) console.warn('terraform is not installed: skipping terraform init/validate/plan of the SQL resources example');

describeWithTerraform('SqlResourcesExampleStack with terraform, offline', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'sql-resources-example-'));
    const app = new App({ outdir, stackTraces: false });
    new SqlResourcesExampleStack(app, 'sql-resources-example');
    makeProvidersOffline(app);
    app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('init, validate and plan: every resource created, the invocations with the CRUD lifecycle', () => {
    const dir = join(outdir, 'stacks', 'sql-resources-example');
    terraform(dir, ['init', '-input=false', '-no-color']);
    const validation = JSON.parse(terraform(dir, ['validate', '-json', '-no-color']));
    expect({ valid: validation.valid, errors: validation.error_count, warnings: validation.warning_count }).toEqual({
      valid: true,
      errors: 0,
      warnings: 0,
    });
    terraform(dir, ['plan', '-input=false', '-lock=false', '-no-color', '-out=plan.bin']);
    const plan = JSON.parse(terraform(dir, ['show', '-json', 'plan.bin']));
    const changes = plan.resource_changes as Array<{ type: string; change: { actions: string[]; after: Json } }>;
    const synthesized = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    const declared = Object.values(synthesized.resource as Record<string, object>).reduce((n, byId) => n + Object.keys(byId).length, 0);
    expect(changes).toHaveLength(declared);
    expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);
    const invocations = changes.filter((c) => c.type === 'aws_lambda_invocation');
    expect(invocations).toHaveLength(3);
    for (const invocation of invocations) {
      expect(invocation.change.after).toMatchObject({ lifecycle_scope: 'CRUD', terraform_key: 'tf', qualifier: '$LATEST' });
      expect(() => JSON.parse(invocation.change.after.input)).not.toThrow();
    }
  });
});

describe('SqlResourcesExampleStack: the lifecycle on the PostgreSQL-backed Data API', () => {
  let api: LocalRedshiftData;
  let h: HandlerHarness;
  // PostgreSQL has no PASSWORD DISABLE; PASSWORD NULL is its "no password" equivalent.
  const postgres = { passwordClause: 'PASSWORD NULL' };

  beforeAll(async () => {
    api = await startLocalRedshiftData();
    h = await startHandlerHarness();
    h.setEnv({ AWS_ENDPOINT_URL_REDSHIFT_DATA: api.endpoint });
  });
  afterAll(async () => {
    await h.stop();
    await api.stop();
  });

  /** Invokes the handler as the provider does: the input plus `tf: { action, prev_input }`. */
  const apply = async (action: 'create' | 'update' | 'delete', input: string, previous?: string): Promise<Json> => {
    const parsed = JSON.parse(input);
    const prev = action === 'create' ? null : JSON.parse(previous ?? input);
    const result = await invokeLambda(handler as LambdaHandler, { ...parsed, tf: { action, prev_input: prev } }, { timeoutMs: 60_000 });
    return result.ok
      ? { ok: true, ...(result.payload as Json) }
      : { ok: false, errorType: result.errorType, errorMessage: result.errorMessage };
  };
  const one = async (sql: string): Promise<Json | undefined> => (await api.query(sql))[0];

  test('create in dependency order, update in place, destroy in reverse leaves the database clean', async () => {
    const first = synthExample(postgres);
    const order = creationOrder(first.ids, first.invocations);
    for (const name of order) expect(await apply('create', first.invocations[name].input)).toMatchObject({ ok: true, state: 'FINISHED' });

    expect(await one(`select 1 as ok from pg_namespace where nspname = 'analytics'`)).toEqual({ ok: 1 });
    expect(await one(`select rolconnlimit from pg_roles where rolname = 'analytics_reader'`)).toEqual({ rolconnlimit: 10 });
    expect(await one(`select has_schema_privilege('analytics_reader', 'analytics', 'USAGE') as ok`)).toEqual({ ok: true });
    // The default privileges reach tables created later.
    await api.query('create table analytics.orders (id int)');
    expect(await one(`select has_table_privilege('analytics_reader', 'analytics.orders', 'SELECT') as ok`)).toEqual({ ok: true });

    // connectionLimit 10 → 20: Terraform updates the user in place with the new input.
    const second = synthExample({ ...postgres, connectionLimit: 20 });
    expect(await apply('update', second.invocations.user.input, first.invocations.user.input)).toMatchObject({ ok: true, ran: 'update' });
    expect(await one(`select rolconnlimit from pg_roles where rolname = 'analytics_reader'`)).toEqual({ rolconnlimit: 20 });
    expect(await one(`select rolpassword is null as none from pg_authid where rolname = 'analytics_reader'`)).toEqual({ none: true });

    // A new password clause (limit unchanged) is applied by the in-place update as well.
    const third = synthExample({ passwordClause: "PASSWORD 'Rotated1'", connectionLimit: 20 });
    expect(await apply('update', third.invocations.user.input, second.invocations.user.input)).toMatchObject({ ok: true, ran: 'update' });
    expect(await one(`select rolpassword is not null as set from pg_authid where rolname = 'analytics_reader'`)).toEqual({ set: true });
    expect(await one(`select rolconnlimit from pg_roles where rolname = 'analytics_reader'`)).toEqual({ rolconnlimit: 20 });

    // Destroy with the inputs in the state: the grants first (they depend on both), then user and schema, which
    // Terraform may take in either order. The schema refuses while it still holds a table (RESTRICT).
    const stored = (name: Name): string => (name === 'user' ? third : first).invocations[name].input;
    expect(order.at(-1)).toBe('grants');
    expect(await apply('delete', stored('grants'))).toMatchObject({ ok: true, ran: 'destroy' });
    const refused = await apply('delete', stored('schema'));
    expect(refused).toMatchObject({ ok: false, errorType: ERRORS.SQL_STATEMENT_FAILED });
    expect(refused.errorMessage).toMatch(/cannot drop schema analytics because other objects depend on it/);
    await api.query('drop table analytics.orders');
    expect(await apply('delete', stored('schema'))).toMatchObject({ ok: true, ran: 'destroy' });
    expect(await apply('delete', stored('user'))).toMatchObject({ ok: true, ran: 'destroy' });

    expect(await one(`select count(*)::int as n from pg_namespace where nspname = 'analytics'`)).toEqual({ n: 0 });
    expect(await one(`select count(*)::int as n from pg_roles where rolname = 'analytics_reader'`)).toEqual({ n: 0 });
    expect(await one(`select count(*)::int as n from pg_default_acl`)).toEqual({ n: 0 });
    expect(h.awsCalls().dynamodb).toEqual([]);
  });
});
