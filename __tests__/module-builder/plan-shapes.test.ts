/**
 * One configuration for every shape: the module planned offline from a plain HCL root for each target
 * kind (cluster + db_user, cluster + secret, workgroup + IAM identity, workgroup + secret) and each key
 * source (the module's key, encryption_key_arn). The planned addresses are the same except the key and
 * alias, and switching the credentials, the target kind or the key source against a state holding the
 * previous shape (made offline from its plan, see support/offline-state.ts) plans in-place updates only
 * (and the removal of the module's own key and alias when a key is given).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionsByAddress, resourceSchemas, settleState, showPlan } from './support/offline-state';
import { buildModuleIn, describeIfTerraform, initRootModule, scratchDir, terraform } from './support/terraform-module-fixture';

type Shape = Record<string, string | null>;

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:warehouse-AbCdEf';
const NONE: Shape = { cluster_identifier: null, workgroup_name: null, db_user: null, secret_arn: null, encryption_key_arn: null };
const TARGETS: Record<string, Shape> = {
  'cluster-db-user': { ...NONE, cluster_identifier: 'analytics', db_user: 'etl_user' },
  'cluster-secret': { ...NONE, cluster_identifier: 'analytics', secret_arn: SECRET_ARN },
  'workgroup-iam': { ...NONE, workgroup_name: 'reporting' },
  'workgroup-secret': { ...NONE, workgroup_name: 'reporting', secret_arn: SECRET_ARN },
};
const KEYS: Record<string, Shape> = { 'module-key': {}, 'own-key': { encryption_key_arn: KEY_ARN } };
const KEY_RESOURCES = /\.aws_kms_(key|alias)\.[^.]+$/;

const hclValue = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

describeIfTerraform('the module plans one configuration for every target kind and key source (offline)', () => {
  const root = scratchDir('module-shapes');

  beforeAll(() => {
    buildModuleIn(root);
  });

  it('every shape plans the same resource addresses, except the module key and alias', () => {
    const dir = join(root, 'all-shapes');
    const blocks = Object.entries(TARGETS).flatMap(([target, targetShape]) =>
      Object.entries(KEYS).map(([key, keyShape]) => {
        const name = `${target}-${key}`.replace(/-/g, '_');
        const inputs = Object.entries({ ...targetShape, ...keyShape }).map(([k, v]) => `  ${k} = ${hclValue(v)}`);
        return (
          `module "${name}" {\n  source      = "../terraform-module"\n  name_prefix = "${name.slice(0, 30)}"\n  database    = ` +
          `"dev"\n${inputs.join('\n')}\n  sql_resources = { s = { create = "CREATE SCHEMA s", destroy = "DROP SCHEMA s" } }\n}\n`
        );
      }),
    );
    initRootModule(dir, blocks.join('\n'));
    expect(terraform(dir, ['validate', '-no-color']).output).toContain('Success! The configuration is valid.');
    const run = terraform(dir, ['plan', '-input=false', '-no-color', '-out=tfplan']);
    expect(run.status).toBe(0);

    const addressesByModule = new Map<string, string[]>();
    for (const address of Object.keys(actionsByAddress(showPlan(dir, 'tfplan')))) {
      const [, module, rest] = /^module\.([^.]+)\.(.+)$/.exec(address) ?? [];
      addressesByModule.set(module, [...(addressesByModule.get(module) ?? []), rest].sort());
    }
    expect(addressesByModule.size).toBe(8);
    const reference = addressesByModule.get('cluster_db_user_module_key') ?? [];
    expect(reference.filter((a) => KEY_RESOURCES.test(`.${a}`))).toEqual([
      'aws_kms_alias.Tasker_KeyAlias_03761D59[0]',
      'aws_kms_key.Tasker_Key_29A16D69[0]',
    ]);
    for (const [module, addresses] of addressesByModule) {
      const expected = module.endsWith('own_key') ? reference.filter((a) => !KEY_RESOURCES.test(`.${a.replace(/\[0\]$/, '')}`)) : reference;
      expect({ module, addresses }).toEqual({ module, addresses: expected });
    }
  });

  describe('switching inputs against a state of the previous shape', () => {
    const dir = join(root, 'switch');
    let schemas: ReturnType<typeof resourceSchemas>;

    beforeAll(() => {
      initRootModule(
        dir,
        `${Object.keys(NONE)
          .map((name) => `variable "${name}" {\n  type    = string\n  default = null\n}\n`)
          .join('\n')}
module "tasker" {
  source      = "../terraform-module"
  name_prefix = "etl"
  database    = "dev"
${Object.keys(NONE)
  .map((name) => `  ${name} = var.${name}`)
  .join('\n')}
  sql_resources = { staging = { create = "CREATE SCHEMA staging", destroy = "DROP SCHEMA staging" } }
}
`,
      );
      schemas = resourceSchemas(dir);
    });

    /** Writes `shape` as the variables of the next plan, returning the plan arguments. */
    function vars(name: string, shape: Shape): string[] {
      writeFileSync(join(dir, `${name}.tfvars.json`), JSON.stringify(shape));
      return [`-var-file=${name}.tfvars.json`];
    }

    /** Plans `to` against the current state (the previous shape, settled as applied); the actions by address. */
    function planAgainstState(to: Shape): Record<string, string> {
      const run = terraform(dir, ['plan', '-input=false', '-no-color', '-refresh=false', ...vars('to', to), '-out=tfplan']);
      if (run.status !== 0) throw new Error(`terraform plan failed:\n${run.output}`);
      return actionsByAddress(showPlan(dir, 'tfplan'));
    }

    /** Makes the state stand for `shape` as applied (from scratch, or from the state of the step before). */
    function applyOffline(shape: Shape, fresh: boolean): void {
      settleState(dir, vars('applied', shape), schemas, { fresh });
    }

    const FUNCTION = 'module.tasker.aws_lambda_function.Tasker_Function_913FC4D0';
    const ROLE_POLICY = 'module.tasker.aws_iam_role_policy.Tasker_RolePolicy_110EE4DD';

    // One chain, in order: each step plans against the state the step before settled.
    it('db_user → secret_arn updates the function environment and the role policy in place, nothing else', () => {
      applyOffline(TARGETS['cluster-db-user'], true);
      expect(planAgainstState(TARGETS['cluster-secret'])).toEqual({ [FUNCTION]: 'update', [ROLE_POLICY]: 'update' });
    });

    it('then cluster + secret_arn → workgroup (IAM identity) updates the same two in place', () => {
      applyOffline(TARGETS['cluster-secret'], false);
      expect(planAgainstState(TARGETS['workgroup-iam'])).toEqual({ [FUNCTION]: 'update', [ROLE_POLICY]: 'update' });
    });

    it('then giving encryption_key_arn deletes only the module key and alias; the rest switches keys in place', () => {
      applyOffline(TARGETS['workgroup-iam'], false);
      const actions = planAgainstState({ ...TARGETS['workgroup-iam'], encryption_key_arn: KEY_ARN });
      expect(actions).toEqual({
        'module.tasker.aws_kms_alias.Tasker_KeyAlias_03761D59[0]': 'delete',
        'module.tasker.aws_kms_key.Tasker_Key_29A16D69[0]': 'delete',
        // The table, the queues, the log group and the function take the given key; the SQL resource is untouched.
        'module.tasker.aws_cloudwatch_log_group.Tasker_FunctionLogGroup_779DD144': 'update',
        'module.tasker.aws_dynamodb_table.Tasker_TrackingTable_1EFCF6C0': 'update',
        'module.tasker.aws_sqs_queue.Tasker_DeadLetterQueue_157FFEA5': 'update',
        'module.tasker.aws_sqs_queue.Tasker_Queue_ACD09733': 'update',
        [FUNCTION]: 'update',
        [ROLE_POLICY]: 'update',
      });
    });
  });
});
