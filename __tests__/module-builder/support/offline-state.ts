/**
 * A Terraform state made offline from a saved plan, so a second plan can be compared against "what the
 * first plan would have created" without AWS.
 *
 * Each planned resource becomes a state instance holding its planned values; attributes only AWS would
 * know (ARNs, ids) are filled with fake values of the type the provider schema gives (an ARN-shaped
 * string for `arn`, so expressions that split ARNs still work; 0 for numbers). Values that come from another resource's fake (a queue
 * policy's `queue_url`) are then
 * settled by planning the same inputs against the state and writing that plan back, until the plan is
 * "No changes" (`settleState`): the state is then a faithful stand-in for the applied configuration.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { terraform } from './terraform-module-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly change: { readonly actions: string[]; readonly after: Json | null; readonly after_unknown: Json };
}

export interface PlanJson {
  readonly resource_changes?: ResourceChange[];
}

/** `terraform show -json <planfile>` of a plan made in `dir`. */
export function showPlan(dir: string, planFile: string): PlanJson {
  const run = terraform(dir, ['show', '-json', planFile]);
  if (run.status !== 0) throw new Error(`terraform show failed:\n${run.output}`);
  return JSON.parse(run.output) as PlanJson;
}

/** Attribute types and schema versions of the provider's resources (`terraform providers schema -json`). */
export function resourceSchemas(dir: string): Record<string, { version: number; block: Json }> {
  const run = terraform(dir, ['providers', 'schema', '-json']);
  if (run.status !== 0) throw new Error(`terraform providers schema failed:\n${run.output}`);
  const schemas = JSON.parse(run.output) as Json;
  return schemas.provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas;
}

const FAKE_ACCOUNT = '123456789012';

function fakeValue(type: unknown, attribute: string, address: string): unknown {
  if (type === 'string') {
    // An invocation's result is JSON the module decodes.
    if (attribute === 'result') return '{}';
    return attribute === 'arn' || attribute.endsWith('_arn')
      ? `arn:aws:fake:eu-west-1:${FAKE_ACCOUNT}:${address.replace(/[^A-Za-z0-9_.-]/g, '_')}`
      : `fake-${attribute}`;
  }
  // 0 and false read as "not set" to the provider (a table's read_capacity with on-demand billing).
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map') return {};
  return null;
}

/** `values` (planned) with every attribute `unknown` marks filled in, nested blocks included. */
function fillUnknown(values: Json, unknown: Json, block: Json, address: string): Json {
  const filled: Json = { ...values };
  for (const [name, mark] of Object.entries(unknown ?? {})) {
    if (mark === true) {
      filled[name] = fakeValue(block.attributes?.[name]?.type, name, address);
    } else if (Array.isArray(mark) && Array.isArray(values[name]) && block.block_types?.[name]) {
      const nested = block.block_types[name].block;
      filled[name] = (values[name] as Json[]).map((item, i) => fillUnknown(item, mark[i] as Json, nested, address));
    }
  }
  return filled;
}

/** The planned values of one resource with the unknown attributes filled in. */
function stateAttributes(change: ResourceChange, schema: Json): Json {
  return fillUnknown(change.change.after ?? {}, change.change.after_unknown ?? {}, schema.block, change.address);
}

/** Writes `terraform.tfstate` in `dir` holding every resource `plan` would create. */
export function writeStateFromPlan(dir: string, plan: PlanJson, schemas: Record<string, { version: number; block: Json }>): void {
  const resources = new Map<string, Json>();
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== 'managed' || change.change.after === null) continue;
    const key = `${change.module_address ?? ''}|${change.type}.${change.name}`;
    const schema = schemas[change.type];
    const resource =
      resources.get(key) ??
      ({
        ...(change.module_address ? { module: change.module_address } : {}),
        mode: 'managed',
        type: change.type,
        name: change.name,
        provider: `provider["${change.provider_name}"]`,
        instances: [],
      } as Json);
    resource.instances.push({
      ...(change.index !== undefined ? { index_key: change.index } : {}),
      schema_version: schema.version ?? 0,
      attributes: stateAttributes(change, schema),
      sensitive_attributes: [],
    });
    resources.set(key, resource);
  }
  const state = {
    version: 4,
    terraform_version: '1.9.0',
    serial: 1,
    lineage: 'offline-test-state',
    outputs: {},
    resources: [...resources.values()],
  };
  writeFileSync(join(dir, 'terraform.tfstate'), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Makes `dir`'s state stand for `planArgs`' configuration as applied: writes the state from a plan
 * (without state when `fresh`, else against the current one), then plans again against it and writes
 * that back until nothing changes (at most `rounds` plans). Fakes are deterministic (by attribute name
 * and address), so a replaced resource gets the same fakes back and the loop ends. Returns the number
 * of plans; throws when it does not settle.
 */
export function settleState(
  dir: string,
  planArgs: readonly string[],
  schemas: Record<string, { version: number; block: Json }>,
  options: { fresh: boolean; rounds?: number },
): number {
  const rounds = options.rounds ?? 6;
  if (options.fresh) rmSync(join(dir, 'terraform.tfstate'), { force: true });
  for (let round = 1; round <= rounds; round++) {
    const run = terraform(dir, ['plan', '-input=false', '-no-color', '-refresh=false', ...planArgs, '-out=settle.tfplan']);
    if (run.status !== 0) throw new Error(`terraform plan failed:\n${run.output}`);
    const plan = showPlan(dir, 'settle.tfplan');
    if (Object.keys(actionsByAddress(plan)).length === 0) return round;
    writeStateFromPlan(dir, plan, schemas);
  }
  throw new Error(`the offline state did not settle in ${rounds} rounds`);
}

/** Action per resource address (`create`, `update`, `delete`, `delete,create` ...), no-ops left out. */
export function actionsByAddress(plan: PlanJson): Record<string, string> {
  const actions: Record<string, string> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== 'managed') continue;
    const action = change.change.actions.join(',');
    if (action !== 'no-op') actions[change.address] = action;
  }
  return actions;
}
