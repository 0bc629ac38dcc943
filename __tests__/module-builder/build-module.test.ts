/**
 * The module folder: a proper child module (no provider, no backend, version ranges), asset paths
 * from `${path.module}`, nothing machine-specific, and byte-identical across two clean builds (one in
 * this process, one through `scripts/build-module.ts` in a fresh process).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildTerraformModule, ModuleOutputDirError } from '../../module-builder/build-module';
import { AWS_PROVIDER_VERSION_RANGE, TERRAFORM_VERSION_RANGE } from '../../module-builder/child-module';
import { MODULE_INPUTS } from '../../module-builder/module-inputs';
import { MODULE_OUTPUTS } from '../../module-builder/module-outputs';
import { SQL_RESOURCE_STAGES } from '../../module-builder/sql-resources-input';
import { buildModuleIn, listFiles, REPO_ROOT, scratchDir } from './support/terraform-module-fixture';

type TfJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The role policy as written: the document, plus the local holding its always-present statements (the
 * plan-time switches `concat` the optional statements to it).
 */
function rolePolicyText(json: TfJson): string {
  const policy = (Object.values(json.resource.aws_iam_role_policy)[0] as TfJson).policy as string;
  const held = Object.entries(json.locals as TfJson).filter(([name]) => name.startsWith('Tasker_RolePolicyStatements_'));
  // Expressions inside the local are JSON strings: unescape their quotes to read them as written.
  return [policy, ...held.map(([, value]) => JSON.stringify(value).replace(/\\"/g, '"'))].join('\n');
}

describe('buildTerraformModule', () => {
  const first = buildModuleIn(scratchDir('module-build-a'));
  const read = (relative: string): TfJson => JSON.parse(readFileSync(join(first, relative), 'utf8')) as TfJson;
  const configs = ['main.tf.json'];

  it('writes the module (one configuration), the handler zip and the README', () => {
    expect(listFiles(first)).toEqual(['README.md', 'handler/tasker-handler.zip', 'main.tf.json']);
    expect(readFileSync(join(first, 'handler/tasker-handler.zip'))).toEqual(readFileSync(join(REPO_ROOT, 'dist/tasker-handler.zip')));
  });

  it.each(configs)('%s is a child module: no provider or backend block, version ranges', (config) => {
    const json = read(config);
    expect(json.provider).toBeUndefined();
    expect(json.terraform.backend).toBeUndefined();
    expect(json.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION_RANGE } });
    expect(json.terraform.required_version).toBe(TERRAFORM_VERSION_RANGE);
    expect(json['//']).toBeUndefined();
  });

  it('builds without cdktf warnings (no ${...} template inside a built-in function argument)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      buildModuleIn(scratchDir('module-build-quiet'));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('declares every input and output, each described, with clean names', () => {
    const json = read('main.tf.json');
    expect(Object.keys(json.variable).sort()).toEqual(MODULE_INPUTS.map((i) => i.name).sort());
    expect(Object.keys(json.output).sort()).toEqual([...MODULE_OUTPUTS.map((o) => o.name), 'sql_resource_results'].sort());
    for (const output of Object.values(json.output) as TfJson[]) expect(output.description).toEqual(expect.any(String));
    expect(json.variable.log_level.validation[0].condition).toBe('${contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)}');
    expect(json.variable.cluster_identifier.default).toBeNull();
    expect(json.variable.database).not.toHaveProperty('default');
  });

  it('declares state_machine_arns and sql_resources: typed, described, null by default, validated', () => {
    const json = read('main.tf.json');
    expect(json.variable.state_machine_arns).toMatchObject({ type: 'list(string)', default: null });
    expect(json.variable.state_machine_arns.description).toContain('null allows every state machine in the account and region');
    expect(json.variable.state_machine_arns.validation[0].condition).toContain('stateMachine:');
    // `any`: create may be a string or a list, and a misspelt field is refused instead of silently dropped.
    expect(json.variable.sql_resources).toMatchObject({ type: 'any', default: null });
    expect(json.variable.sql_resources.description).toContain('depends_on_keys');
    expect(json.variable.sql_resources.validation.map((v: TfJson) => v.error_message)).toEqual([
      expect.stringContaining('check the spelling of its fields'),
      expect.stringContaining('create, update and destroy must each be a SQL string or a list of 1 to 40'),
      expect.stringContaining('parameters must be a non-empty map'),
      expect.stringContaining('depends_on_keys must list other keys'),
    ]);
    for (const v of json.variable.sql_resources.validation as TfJson[])
      expect(v.condition).toMatch(/^\$\{var\.sql_resources == null \|\| try\(/);
    expect(json.output.sql_resource_results.precondition).toEqual([
      { condition: '${length(local.sql_resource_unordered) == 0}', error_message: expect.stringContaining('form a cycle') },
    ]);
  });

  it('runs the SQL resources in stages, after the role policy, each stage after the one before', () => {
    for (const config of configs) {
      const json = read(config);
      const policyAddress = `aws_iam_role_policy.${Object.keys(json.resource.aws_iam_role_policy)[0]}`;
      const functionName = `\${aws_lambda_function.${Object.keys(json.resource.aws_lambda_function)[0]}.function_name}`;
      const invocations = json.resource.aws_lambda_invocation as TfJson;
      expect(Object.keys(invocations)).toHaveLength(SQL_RESOURCE_STAGES);
      for (let stage = 0; stage < SQL_RESOURCE_STAGES; stage++) {
        const invocation = invocations[`sql_resource_stage_${stage}`];
        expect(invocation).toMatchObject({
          for_each: `\${{ for key, entry in local.sql_resource_invocations : key => entry if entry.stage == ${stage} }}`,
          function_name: functionName,
          input: '${each.value.input}',
          lifecycle_scope: 'CRUD',
          terraform_key: 'tf',
          triggers: '${each.value.replace_on_change ? { sql_sha256 = sha256(each.value.input) } : null}',
        });
        expect(invocation.depends_on).toEqual([
          policyAddress,
          ...(stage > 0 ? [`aws_lambda_invocation.sql_resource_stage_${stage - 1}`] : []),
        ]);
      }
      expect(json.output.sql_resource_results.value).toContain('jsondecode(r.result)');
      // The callback permission reads the list, or every state machine of the account when it is null.
      expect(json.locals.state_machine_arns).toMatch(
        new RegExp(
          String.raw`^\$\{\(var\.state_machine_arns == null\) \? \["arn:\$\{data\.aws_partition\.Partition\.partition\}` +
            String.raw`:states:.*:stateMachine:\*"\] : var\.state_machine_arns\}$`,
        ),
      );
      expect(rolePolicyText(json)).toContain('local.state_machine_arns');
    }
  });

  it(
    "is one configuration: count only on the module's own key and alias (encryption_key_arn), the alarms (alarms, metrics) and the " +
      'execution-end rule (cancel_on_execution_end)',
    () => {
      const json = read('main.tf.json');
      expect(json.module).toBeUndefined();
      const counted = Object.entries(json.resource as TfJson).flatMap(([type, byName]) =>
        Object.entries(byName as TfJson)
          .filter(([, r]) => (r as TfJson).count !== undefined)
          .map(([name, r]) => [`${type}.${name}`, (r as TfJson).count]),
      );
      const alarms = counted.filter(([address]) => address.startsWith('aws_cloudwatch_metric_alarm.'));
      // Sweep repairs and pending callbacks read the handler's metrics.
      expect(alarms.map(([, count]) => count).sort()).toEqual(
        [...Array(4).fill('${var.alarms ? 1 : 0}'), ...Array(2).fill('${(var.alarms && var.metrics) ? 1 : 0}')].sort(),
      );
      expect(counted.filter(([address]) => !address.startsWith('aws_cloudwatch_metric_alarm.'))).toEqual([
        ['aws_cloudwatch_event_rule.Tasker_ExecutionEndRule_A94C3180', '${var.cancel_on_execution_end ? 1 : 0}'],
        ['aws_cloudwatch_event_target.Tasker_ExecutionEndRuleTarget_CDFB7123', '${var.cancel_on_execution_end ? 1 : 0}'],
        ['aws_kms_alias.Tasker_KeyAlias_03761D59', '${(var.encryption_key_arn != null) ? 0 : 1}'],
        ['aws_kms_key.Tasker_Key_29A16D69', '${(var.encryption_key_arn != null) ? 0 : 1}'],
        ['aws_lambda_permission.Tasker_ExecutionEndInvokePermission_4CF264EC', '${var.cancel_on_execution_end ? 1 : 0}'],
      ]);
      const fn = Object.values(json.resource.aws_lambda_function)[0] as TfJson;
      expect(fn.kms_key_arn).toBe('${coalesce(var.encryption_key_arn, one(aws_kms_key.Tasker_Key_29A16D69[*].arn))}');
      // The target kind and credentials are chosen by Terraform: environment entries only when their input is set.
      for (const input of ['cluster_identifier', 'db_user', 'workgroup_name', 'secret_arn']) {
        expect(fn.environment.variables).toContain(`(var.${input} != null) ? {`);
      }
      const policy = rolePolicyText(json);
      expect(policy).toContain('(var.secret_arn != null) ? {"Sid" = "ReadDatabaseSecret"');
      expect(policy).toContain('(var.cluster_identifier != null) ? {"Sid" = "GetClusterCredentialsForDbUser"');
      expect(policy).toContain('"Sid" = "GetWorkgroupCredentials"');
    },
  );

  it('takes the zip from its own folder and the name prefix from inputs, not from the build', () => {
    expect(read('main.tf.json').locals.handler_zip).toBe('${path.module}/handler/tasker-handler.zip');
    for (const config of configs) {
      const text = readFileSync(join(first, config), 'utf8');
      const json = JSON.parse(text) as TfJson;
      for (const fn of Object.values(json.resource.aws_lambda_function) as TfJson[]) {
        expect(fn.filename).toBe('${local.handler_zip}');
        expect(fn.function_name).toBe('${var.name_prefix}-tasker');
      }
      expect(text).not.toMatch(/TfModuleNamePrefixPlaceholder|TfToken|e\+\d{3}/);
    }
  });

  it('passes the inputs straight into the construct, which renders them as Terraform expressions', () => {
    for (const config of configs) {
      const json = read(config);
      const queues = Object.values(json.resource.aws_sqs_queue) as TfJson[];
      const queue = queues.find((q) => q.name === '${var.name_prefix}-statement-events');
      expect(queue?.visibility_timeout_seconds).toBe('${(6 * var.lambda_timeout)}');
      expect(queue?.redrive_policy).toMatch(
        /^\$\{jsonencode\(\{"deadLetterTargetArn" = aws_sqs_queue\.\w+\.arn, "maxReceiveCount" = var\.max_receive_count\}\)\}$/,
      );
      const mapping = Object.values(json.resource.aws_lambda_event_source_mapping)[0] as TfJson;
      expect(mapping).toMatchObject({
        batch_size: '${var.batch_size}',
        maximum_batching_window_in_seconds: '${(var.batch_size > 10) ? 1 : null}',
      });
      for (const fn of Object.values(json.resource.aws_lambda_function) as TfJson[]) {
        expect(fn.timeout).toBe('${var.lambda_timeout}');
        for (const entry of [
          '"POWERTOOLS_LOG_LEVEL" = var.log_level',
          '"ABORTED_ERROR_NAME" = var.aborted_error_name',
          '"ITEM_TTL_SECONDS" = tostring(var.item_ttl_seconds)',
          '"SWEEP_GRACE_SECONDS" = tostring(var.sweep_grace_seconds)',
          '"FAST_PATH_SECONDS" = tostring(var.fast_path_seconds)',
          '"CALLBACK_MAX_AGE_SECONDS" = tostring(var.callback_max_age_seconds)',
        ]) {
          expect(fn.environment.variables).toContain(entry);
        }
      }
    }
  });

  it('writes nothing machine-specific (paths of this checkout or the output folder)', () => {
    for (const file of [...configs, 'README.md']) {
      const text = readFileSync(join(first, file), 'utf8');
      expect(text).not.toContain(REPO_ROOT);
      expect(text).not.toContain(first);
    }
  });

  it('is byte-identical across two clean builds (the second through the build script in a fresh process)', () => {
    const second = join(scratchDir('module-build-b'), 'terraform-module');
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(REPO_ROOT, 'scripts/build-module.ts'), '--out', second],
      {
        stdio: 'pipe',
      },
    );
    expect(listFiles(second)).toEqual(listFiles(first));
    for (const file of listFiles(first)) {
      expect({ file, same: readFileSync(join(second, file)).equals(readFileSync(join(first, file))) }).toEqual({ file, same: true });
    }
  });

  it('refuses to replace a folder that is not an earlier build, and leaves it alone', () => {
    const foreign = join(scratchDir('module-build-foreign'), 'precious');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    expect(() => buildTerraformModule({ outDir: foreign })).toThrow(ModuleOutputDirError);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(join(foreign, 'main.tf.json'))).toBe(false);
  });
});
