/**
 * hashicorp/aws 5.x and 6.x: the Terraform module's version range, and no argument or attribute in what we
 * synthesise (the committed terraform-module/ and the example app's stacks) that aws 6 removed or deprecated,
 * so a user's plan prints no deprecation warning on either major.
 *
 * aws 5: checked against the real schema of the offline provider (5.100.0, the last 5.x). aws 6: no provider
 * binary is reachable here, so against the list of the aws 6.0 upgrade guide (AWS6_UPGRADE_GUIDE below), plus
 * the type check of our sources against @cdktf/provider-aws 21's aws 6 bindings (cdktf-provider-aws-21.test.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExampleApp, EXAMPLE_STACKS } from '../../examples/app';
import { ensureHandlerZip } from '../../local/lambda/handler-bundle';
import { AWS_PROVIDER_VERSION_RANGE } from '../../module-builder/child-module';
import { terraform } from '../examples/example-helpers';
import { type AttributeUse, attributeUses, type ProviderSchema, schemaStatus } from '../support/terraform-attribute-uses';
import { terraformVersion } from '../support/terraform-cli';

const ROOT = join(__dirname, '..', '..');
const OFFLINE_AWS_VERSION = '5.100.0';

/**
 * The aws 6.0 upgrade guide (website/docs/guides/version-6-upgrade.html.markdown of hashicorp/terraform-provider-aws):
 * every argument or attribute it removes or deprecates, by data source / resource type, and the resource types
 * it removes. Entries for services this package never touches (OpsWorks, SimpleDB, WorkLink, Batch, …) are
 * covered by the types check: a stack using them would fail `usesOnlyKnownTypes` first.
 */
const AWS6_UPGRADE_GUIDE: { data: Record<string, string[]>; resource: Record<string, string[]> } = {
  data: {
    aws_region: ['name'],
    aws_batch_compute_environment: ['compute_environment_name'],
    aws_ecs_task_definition: ['inference_accelerator'],
    aws_launch_template: ['elastic_gpu_specifications', 'elastic_inference_accelerator'],
    aws_opensearch_domain: ['kibana_endpoint'],
    aws_quicksight_data_set: ['tags_all'],
    aws_s3_bucket: ['region'],
    aws_service_discovery_service: ['tags_all'],
    aws_servicequotas_templates: ['region'],
    aws_ssmincidents_replication_set: ['region'],
    aws_vpc_endpoint_service: ['region'],
    aws_vpc_peering_connection: ['region'],
    aws_identitystore_group: ['filter'],
    aws_identitystore_user: ['filter'],
  },
  resource: {
    aws_api_gateway_account: ['reset_on_delete'],
    aws_api_gateway_deployment: ['stage_name', 'stage_description', 'canary_settings', 'invoke_url', 'execution_arn'],
    aws_batch_compute_environment: ['compute_environment_name', 'compute_environment_name_prefix'],
    aws_batch_job_queue: ['compute_environments'],
    aws_cloudformation_stack_set_instance: ['region'],
    aws_config_aggregate_authorization: ['region'],
    aws_dms_endpoint: ['s3_settings'],
    aws_dx_gateway_association: ['vpn_gateway_id'],
    aws_dx_hosted_connection: ['region'],
    aws_ecs_task_definition: ['inference_accelerator'],
    aws_eip: ['vpc'],
    aws_eks_addon: ['resolve_conflicts'],
    aws_flow_log: ['log_group_name'],
    aws_guardduty_detector: ['datasources'],
    aws_guardduty_organization_configuration: ['auto_enable', 'datasources'],
    aws_instance: ['cpu_core_count', 'cpu_threads_per_core'],
    aws_launch_template: ['elastic_gpu_specifications', 'elastic_inference_accelerator'],
    aws_networkmanager_core_network: ['base_policy_region'],
    aws_opensearch_domain: ['kibana_endpoint'],
    aws_redshift_cluster: ['snapshot_copy', 'logging'],
    aws_spot_instance_request: ['block_duration_minutes'],
  },
};
/** Resource types the guide removes or deprecates whole (and any of their services' types). */
const AWS6_REMOVED_OR_DEPRECATED_TYPES = new RegExp(
  '^aws_(opsworks_|simpledb_|worklink_|elastictranscoder_|evidently_|media_store_|' +
    'kinesis_analytics_application$|redshift_service_account$)',
);

/** Uses the aws 6.0 upgrade guide names as removed or deprecated. */
function aws6Findings(uses: readonly AttributeUse[]): string[] {
  return uses.flatMap((use) => {
    const root = use.path.split('.')[0];
    if (AWS6_REMOVED_OR_DEPRECATED_TYPES.test(use.type)) return [`${use.kind} ${use.type}: removed or deprecated in aws 6`];
    return AWS6_UPGRADE_GUIDE[use.kind][use.type]?.includes(root) ? [`${use.kind} ${use.type}.${root} (${use.how})`] : [];
  });
}

/** Does `version` satisfy a Terraform version constraint such as `>= 5.0, < 7.0`? */
function satisfies(constraint: string, version: string): boolean {
  const parse = (v: string): number[] => v.split('.').map(Number).concat([0, 0, 0]).slice(0, 3);
  const compare = (a: number[], b: number[]): number => a.reduce((diff, n, i) => diff || n - b[i], 0);
  return constraint.split(',').every((part) => {
    const match = /^\s*(>=|<=|>|<|=|!=)?\s*([\d.]+)\s*$/.exec(part);
    if (!match) throw new Error(`unsupported constraint '${part}'`);
    const diff = compare(parse(version), parse(match[2]));
    return { '>=': diff >= 0, '<=': diff <= 0, '>': diff > 0, '<': diff < 0, '!=': diff !== 0, '=': diff === 0 }[
      match[1] ?? '='
    ] as boolean;
  });
}

let scratch: string;
/** Name → Terraform JSON of every configuration checked. */
const configs = new Map<string, { resource?: unknown; data?: unknown }>();

beforeAll(() => {
  ensureHandlerZip();
  scratch = mkdtempSync(join(tmpdir(), 'aws-provider-compat-'));
  buildExampleApp({ outdir: join(scratch, 'app') }).synth();
  configs.set('terraform-module/main.tf.json', JSON.parse(readFileSync(join(ROOT, 'terraform-module', 'main.tf.json'), 'utf8')));
  for (const stack of EXAMPLE_STACKS) {
    configs.set(`example ${stack}`, JSON.parse(readFileSync(join(scratch, 'app', 'stacks', stack, 'cdk.tf.json'), 'utf8')));
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Terraform module accepts hashicorp/aws 5.x and 6.x', () => {
  const module = JSON.parse(readFileSync(join(ROOT, 'terraform-module', 'main.tf.json'), 'utf8'));
  const range: string = module.terraform.required_providers.aws.version;

  it('pins the range the module builder declares', () => {
    expect(range).toBe(AWS_PROVIDER_VERSION_RANGE);
  });

  it.each(['5.0.0', '5.99.1', '5.100.0', '6.0.0', '6.25.0', '6.66.0', '6.999.0'])('accepts %s', (version) => {
    expect(satisfies(range, version)).toBe(true);
  });

  it.each(['4.67.0', '7.0.0'])('refuses %s', (version) => {
    expect(satisfies(range, version)).toBe(false);
  });
});

describe('nothing the aws 6.0 upgrade guide removes or deprecates', () => {
  it('finds `data.aws_region.<x>.name` (the check can fail)', () => {
    const sample = { data: { aws_region: { r: {} } }, locals: { region: '${data.aws_region.r.name}' } };
    expect(aws6Findings(attributeUses(sample))).toEqual(['data aws_region.name (reference)']);
    expect(aws6Findings(attributeUses({ resource: { aws_eip: { ip: { vpc: true } } } }))).toEqual(['resource aws_eip.vpc (argument)']);
  });

  it('reads a dynamic block as the nested block it writes, with the arguments of its content', () => {
    const mapping = {
      dynamic: { scaling_config: { for_each: '${var.x == null ? [] : [1]}', content: { maximum_concurrency: 2 } } },
      batch_size: 10,
    };
    const paths = attributeUses({ resource: { aws_lambda_event_source_mapping: { m: mapping } } }).map((use) => use.path);
    expect(paths).toEqual(['batch_size', 'scaling_config', 'scaling_config.maximum_concurrency']);
  });

  it('is used by the module or the example stacks (they read the region as aws_region.id)', () => {
    expect(configs.size).toBe(EXAMPLE_STACKS.length + 1);
    for (const [name, config] of configs) {
      const uses = attributeUses(config);
      expect(uses.some((use) => use.type === 'aws_region' && use.path === 'id')).toBe(true);
      expect({ name, findings: aws6Findings(uses) }).toEqual({ name, findings: [] });
    }
  });
});

const tfVersion = terraformVersion();
const describeWithTerraform = tfVersion ? describe : describe.skip;
if (!tfVersion) console.warn('terraform is not installed: skipping the check against the aws 5.100.0 schema');

describeWithTerraform(`against the schema of the offline hashicorp/aws ${OFFLINE_AWS_VERSION}`, () => {
  let schema: ProviderSchema;
  beforeAll(() => {
    const dir = join(scratch, 'schema');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: OFFLINE_AWS_VERSION } } },
      }),
    );
    terraform(dir, ['init', '-input=false', '-no-color', '-backend=false']);
    const all = JSON.parse(terraform(dir, ['providers', 'schema', '-json']));
    schema = all.provider_schemas['registry.terraform.io/hashicorp/aws'];
  }, 120_000);

  it('has `aws_region.id` and no `aws_region.region` (that arrives with aws 6.0), so `id` is what both majors read', () => {
    expect(schemaStatus(schema, { kind: 'data', type: 'aws_region', path: 'id', how: 'reference' })).toBe('ok');
    expect(schema.data_source_schemas.aws_region.block.attributes).not.toHaveProperty('region');
  });

  it('reports what aws 5 already deprecates and what does not exist (the check can fail)', () => {
    const rule = { kind: 'resource', type: 'aws_cloudwatch_event_rule', how: 'argument' } as const;
    expect(schemaStatus(schema, { ...rule, path: 'is_enabled' })).toBe('deprecated');
    expect(schemaStatus(schema, { ...rule, type: 'aws_iam_role', path: 'inline_policy.policy' })).toBe('deprecated');
    expect(schemaStatus(schema, { ...rule, path: 'no_such_argument' })).toBe('unknown');
  });

  it('every argument and attribute used exists, and none is deprecated', () => {
    const problems: string[] = [];
    for (const [name, config] of configs) {
      for (const use of attributeUses(config)) {
        const status = schemaStatus(schema, use);
        if (status !== 'ok') problems.push(`${name}: ${use.kind} ${use.type}.${use.path} (${use.how}) is ${status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(readdirSync(join(scratch, 'app', 'stacks')).sort()).toEqual([...EXAMPLE_STACKS].sort());
  });
});
