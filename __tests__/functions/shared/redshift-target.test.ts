/**
 * One vocabulary and one set of rules for the Redshift target: the construct's prop validation and the
 * handler's configuration must refuse exactly the same field combinations (the module's validation blocks,
 * generated from the same rules, are planned by Terraform in module-builder/module-inputs.test.ts).
 */
import { readConfig } from '../../../functions/tasker/platform/config';
import { TARGET_FIELDS, targetProblems, type Presence, type TargetField } from '../../../functions/shared/redshift-target';
import { targetValidation } from '../../../module-builder/input-rules';
import { resolveTaskerConfig } from '../../../modules/resolve-tasker-config';
import { TaskerConfigurationError } from '../../../modules/tasker-config';
import type { SfnRedshiftTaskerProps } from '../../../modules/tasker-props';

const VALUES: Partial<Record<TargetField, string>> = {
  clusterIdentifier: 'analytics',
  workgroupName: 'reporting',
  dbUser: 'etl',
  secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift-AbCdEf',
};
const OPTIONAL = Object.keys(VALUES) as TargetField[];

/** Every combination of the four optional fields (with database always given). */
const combinations: Partial<Record<TargetField, string>>[] = Array.from({ length: 1 << OPTIONAL.length }, (_, bits) =>
  Object.fromEntries(OPTIONAL.filter((_, i) => bits & (1 << i)).map((field) => [field, VALUES[field]])),
);

function constructRefuses(fields: Partial<Record<TargetField, string>>): boolean {
  try {
    resolveTaskerConfig('etl', { redshiftTarget: { ...fields, database: 'dev' } } as SfnRedshiftTaskerProps);
    return false;
  } catch (error) {
    if (error instanceof TaskerConfigurationError) return true;
    throw error;
  }
}

function handlerRefuses(fields: Partial<Record<TargetField, string>>): boolean {
  const env: Record<string, string> = { TRACKING_TABLE_NAME: 't', REDSHIFT_DATABASE: 'dev' };
  for (const [field, value] of Object.entries(fields)) env[TARGET_FIELDS[field as TargetField].env as string] = value as string;
  try {
    readConfig(env);
    return false;
  } catch {
    return true;
  }
}

describe('Redshift target rules', () => {
  it.each(combinations.map((fields) => [Object.keys(fields).join('+') || '(none)', fields] as const))(
    '%s: the construct and the handler agree',
    (_label, fields) => {
      expect(constructRefuses(fields)).toBe(handlerRefuses(fields));
    },
  );

  it('accepts exactly the four target shapes', () => {
    const accepted = combinations.filter((fields) => !handlerRefuses(fields)).map((fields) => Object.keys(fields).sort().join('+'));
    expect(accepted.sort()).toEqual([
      'clusterIdentifier+dbUser',
      'clusterIdentifier+secretArn',
      'secretArn+workgroupName',
      'workgroupName',
    ]);
  });

  it('names fields as the caller knows them and allows two plan-time values only where asked', () => {
    const presence =
      (given: Partial<Record<TargetField, Presence>>) =>
      (field: TargetField): Presence =>
        given[field] ?? 'absent';
    expect(targetProblems(presence({}), (field) => TARGET_FIELDS[field].input)).toEqual([
      'the Redshift target needs cluster_identifier or workgroup_name (a provisioned cluster or a Serverless workgroup)',
    ]);
    const both = presence({ clusterIdentifier: 'maybe', workgroupName: 'maybe' });
    expect(targetProblems(both, (field) => field)).toEqual([]);
    expect(
      targetProblems(presence({ clusterIdentifier: 'present', workgroupName: 'maybe', dbUser: 'present' }), (field) => field, {
        planTime: true,
      }),
    ).toEqual(['the Redshift target takes clusterIdentifier or workgroupName, not both (unless both are orNull references)']);
  });

  it('puts each rule on the module input of its first field', () => {
    expect(targetValidation('clusterIdentifier').map((check) => check.condition)).toEqual([
      '((var.cluster_identifier == null) != (var.workgroup_name == null))',
    ]);
    expect(targetValidation('dbUser').map((check) => check.condition)).toEqual([
      'var.cluster_identifier == null || ((var.db_user == null) != (var.secret_arn == null))',
      'var.workgroup_name == null || var.db_user == null',
    ]);
    expect(targetValidation('workgroupArn').map((check) => check.condition)).toEqual([
      'var.cluster_identifier == null || var.workgroup_arn == null',
    ]);
    expect(targetValidation('database')).toEqual([]);
  });
});
