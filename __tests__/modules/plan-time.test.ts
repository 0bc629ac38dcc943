/**
 * Plan-time values (`orNull`) in the construct: a plain prop decides at synth time exactly as before, an
 * `orNull` reference makes Terraform decide (conditionals, `count` on the construct's own key), and the
 * public hooks the Terraform module uses (`code`, `rolePolicy`).
 */
import { TerraformVariable } from 'cdktf';
import { orNull, mayBeNull, PlanTimeValueError } from '../../modules/plan-time';
import { asFunctionArgument, countWhenNull, whenSet, withoutNulls } from '../../modules/private/plan-time-choice';
import { TaskerConfigurationError } from '../../modules/tasker-config';
import { TaskerCode } from '../../modules/tasker-code';
import { CLUSTER_TARGET, onlyResource, resourceCounts, synthTasker } from './synth-helpers';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SfnRedshiftTasker } from '../../modules/sfn-redshift-tasker';
import type { SfnRedshiftTaskerProps } from '../../modules/tasker-props';

/** Synthesises a tasker whose props are built from variables of its own stack. */
function synthWithVariables(build: (variable: (name: string) => string) => SfnRedshiftTaskerProps) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const variable = (name: string): string => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
  const tasker = new SfnRedshiftTasker(stack, 'etl', build(variable));
  return { tasker, json: JSON.parse(Testing.synth(stack)) as Record<string, any> };
}

describe('orNull and the choices it drives', () => {
  const scope = new TerraformStack(Testing.app(), 'scope');
  const v = (name: string): string => new TerraformVariable(scope, name, { type: 'string' }).stringValue;

  it('marks references only; a plain value is refused with a named error', () => {
    const ref = v('a');
    expect(mayBeNull(ref)).toBe(false);
    expect(orNull(ref)).toBe(ref);
    expect(mayBeNull(ref)).toBe(true);
    expect(() => orNull('plain')).toThrow(PlanTimeValueError);
  });

  it('plain and absent values choose at synth time; orNull ones become Terraform conditionals', () => {
    expect(whenSet(undefined, 'set', 'null')).toBe('null');
    expect(whenSet('x', 'set', 'null')).toBe('set');
    expect(whenSet(v('plainRef'), 'set', 'null')).toBe('set');
    const choice = whenSet(orNull(v('b')), 'set', 'null');
    expect(choice).not.toBe('set');
    expect(countWhenNull(undefined)).toBeUndefined();
    expect(countWhenNull('arn:aws:kms:eu-west-1:123456789012:key/x')).toBeUndefined();
    expect(withoutNulls({ A: 'a', B: undefined })).toEqual({ A: 'a' });
  });

  it('turns text-and-reference templates into format() inside conditionals, leaving plain text alone', () => {
    expect(asFunctionArgument({ a: ['x', 1] })).toEqual({ a: ['x', 1] });
    const stack = new TerraformStack(Testing.app(), 's');
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    new TerraformVariable(stack, 'out', { type: 'string', default: asFunctionArgument(`arn:%:${name.stringValue}:x`) });
    expect(JSON.parse(Testing.synth(stack)).variable.out.default).toBe('${format("arn:%%:%s:x", var.name)}');
  });
});

describe('SfnRedshiftTasker with plan-time values', () => {
  it('a plan-time target: environment entries and the credential statement chosen by Terraform', () => {
    const { json } = synthWithVariables((variable) => ({
      redshiftTarget: {
        clusterIdentifier: orNull(variable('cluster')),
        workgroupName: orNull(variable('workgroup')),
        database: 'dev',
        dbUser: orNull(variable('user')),
        secretArn: orNull(variable('secret')),
      },
    }));
    const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
    expect(fn.environment.variables).toMatch(
      new RegExp(
        String.raw`^\$\{merge\(\{.*"REDSHIFT_DATABASE" = "dev".*\}, ` +
          String.raw`\(var\.cluster != null\) \? \{"REDSHIFT_CLUSTER_IDENTIFIER" = var\.cluster\} : \{\}, \(var\.user != null\)`,
      ),
    );
    const policy = (Object.values(json.resource.aws_iam_role_policy)[0] as Record<string, any>).policy as string;
    expect(policy).toContain(
      '(var.secret != null) ? {"Sid" = "ReadDatabaseSecret", "Effect" = "Allow", "Action" = ["secretsmanager:GetSecretValue"], ' +
        '"Resource" = [var.secret]} : (var.cluster != null) ?',
    );
    expect(policy).toContain('"Resource" = (var.cluster != null) ? format("arn:%s:redshift:%s:%s:cluster:%s"');
  });

  it('an orNull key: the key and alias exist only while it is null, everything uses coalesce(given, created)', () => {
    const { json } = synthWithVariables((variable) => ({ redshiftTarget: CLUSTER_TARGET, encryptionKey: orNull(variable('key')) }));
    const [keyId, key] = Object.entries(json.resource.aws_kms_key)[0] as [string, Record<string, any>];
    const alias = Object.values(json.resource.aws_kms_alias)[0] as Record<string, any>;
    expect(key.count).toBe('${(var.key != null) ? 0 : 1}');
    expect(alias).toMatchObject({ count: key.count, target_key_id: `\${one(aws_kms_key.${keyId}[*].key_id)}` });
    const inUse = `\${coalesce(var.key, one(aws_kms_key.${keyId}[*].arn))}`;
    expect((Object.values(json.resource.aws_dynamodb_table)[0] as Record<string, any>).server_side_encryption.kms_key_arn).toBe(inUse);
    expect((Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>).kms_key_arn).toBe(inUse);
  });

  it('plain values synthesize no conditional and no count', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET });
    expect(result.raw).not.toMatch(/!= null|"count"|merge\(/);
    expect(onlyResource(result, 'aws_lambda_function').environment.variables).toMatchObject({ REDSHIFT_DB_USER: 'tasker_user' });
  });

  it('refuses a plan-time target whose one-kind fields are plain, and cluster + workgroup both plain', () => {
    expect(() =>
      synthWithVariables((variable) => ({
        redshiftTarget: { clusterIdentifier: orNull(variable('c')), workgroupName: orNull(variable('w')), database: 'dev', dbUser: 'etl' },
      })),
    ).toThrow(/redshiftTarget\.dbUser of a plan-time target must be an orNull reference/);
    expect(() => synthTasker({ redshiftTarget: { clusterIdentifier: 'a', workgroupName: 'w', database: 'dev' } as never })).toThrow(
      TaskerConfigurationError,
    );
  });
});

describe('SfnRedshiftTasker hooks', () => {
  it("code: a zip of the caller's replaces the shipped asset", () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, code: TaskerCode.fromZipFile('${path.module}/handler.zip', 'hash==') });
    expect(onlyResource(result, 'aws_lambda_function')).toMatchObject({
      filename: '${path.module}/handler.zip',
      source_code_hash: 'hash==',
    });
    expect(result.raw).not.toContain('assets/');
  });

  it('rolePolicy is public, for invocations that must run while the function may run SQL', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET });
    expect(result.tasker.rolePolicy.terraformResourceType).toBe('aws_iam_role_policy');
    expect(resourceCounts(result).aws_iam_role_policy).toBe(1);
  });
});
