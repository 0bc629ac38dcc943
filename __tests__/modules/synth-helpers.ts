/**
 * Test helpers: synthesise a stack holding one SfnRedshiftTasker and read the result as plain JSON.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { type App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { SfnRedshiftTasker } from '../../modules/sfn-redshift-tasker';
import type { SfnRedshiftTaskerProps } from '../../modules/tasker-props';
import type { PolicyDocument, PolicyStatement } from '../../modules/private/policy-document';

export type Resource = Record<string, any>;
export interface SynthResult {
  readonly stack: TerraformStack;
  readonly tasker: SfnRedshiftTasker;
  readonly json: {
    resource?: Record<string, Record<string, Resource>>;
    data?: Record<string, Record<string, Resource>>;
    locals?: Record<string, string>;
  };
  readonly raw: string;
}

export const CLUSTER_TARGET = { clusterIdentifier: 'analytics', database: 'dev', dbUser: 'tasker_user' } as const;

/** Synthesises a stack with an AWS provider and a tasker with id `etl` and the given props. */
export function synthTasker(props: SfnRedshiftTaskerProps, id = 'etl'): SynthResult {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const tasker = new SfnRedshiftTasker(stack, id, props);
  const raw = Testing.synth(stack);
  return { stack, tasker, json: JSON.parse(raw), raw };
}

/** All resources of one Terraform type, by logical id. */
export function resourcesOf(result: SynthResult, type: string): Record<string, Resource> {
  return result.json.resource?.[type] ?? {};
}

/** The single resource of a type (fails when there are zero or several). */
export function onlyResource(result: SynthResult, type: string): Resource {
  const all = Object.values(resourcesOf(result, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The resource of a type whose `field` equals `value`. */
export function resourceWhere(result: SynthResult, type: string, field: string, value: unknown): Resource {
  const found = Object.values(resourcesOf(result, type)).filter((r) => r[field] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${field}=${String(value)}, found ${found.length}`);
  return found[0];
}

/** Number of resources per type. */
export function resourceCounts(result: SynthResult): Record<string, number> {
  return Object.fromEntries(Object.entries(result.json.resource ?? {}).map(([type, byId]) => [type, Object.keys(byId).length]));
}

export function parsePolicy(text: string): PolicyDocument {
  return JSON.parse(text) as PolicyDocument;
}

export function statementBySid(doc: PolicyDocument, sid: string): PolicyStatement {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${doc.Statement.map((s) => s.Sid).join(', ')}`);
  return found;
}

/** The Terraform reference to a resource attribute, e.g. `${aws_sqs_queue.etl_Queue_X.arn}`. */
export function refTo(result: SynthResult, type: string, predicate: (r: Resource) => boolean, attribute: string): string {
  const entry = Object.entries(resourcesOf(result, type)).find(([, r]) => predicate(r));
  if (!entry) throw new Error(`no matching ${type}`);
  return `\${${type}.${entry[0]}.${attribute}}`;
}

/** The account, region and partition expressions the construct uses in ARNs. */
export function envExpressions(result: SynthResult): { partition: string; region: string; account: string } {
  const partitionId = Object.keys(result.json.data?.aws_partition ?? {})[0];
  const regionId = Object.keys(result.json.data?.aws_region ?? {})[0];
  const accountLocal = Object.keys(result.json.locals ?? {}).find((name) => name.includes('AccountId')) as string;
  return {
    partition: `\${data.aws_partition.${partitionId}.partition}`,
    region: `\${data.aws_region.${regionId}.id}`,
    account: `\${local.${accountLocal}}`,
  };
}

/** What `value` (a token) becomes in the synthesised stack: written through an output and read back. */
export function resolveInStack(stack: TerraformStack, values: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(values)) new TerraformOutput(stack, `resolve_${name}`, { value });
  const outputs = JSON.parse(Testing.synth(stack)).output as Record<string, { value: string }>;
  return Object.fromEntries(Object.keys(values).map((name) => [name, outputs[`resolve_${name}`].value]));
}
