/**
 * The Redshift target in one vocabulary: a `cluster` (provisioned, reached with temporary credentials for a
 * database user or with a secret) or a `workgroup` (Serverless, reached with the function's IAM identity or a
 * secret). Its fields, their names in each layer, and the rules between them are defined here once:
 * prop validation, the handler's configuration and the Terraform module's `validation` blocks all read
 * `TARGET_RULES` (through `targetProblems` or, for Terraform, `module-builder/input-rules.ts`).
 */
import { ENV } from './contract';

export type TargetKind = 'cluster' | 'workgroup';

/**
 * A target once checked, as the construct resolves it from props and the handler reads it from its
 * environment: the one shape both work with (`workgroupArn` matters to IAM only, so the handler leaves it out).
 */
export type CheckedTarget =
  | {
      readonly kind: 'cluster';
      readonly clusterIdentifier: string;
      readonly database: string;
      readonly dbUser?: string;
      readonly secretArn?: string;
    }
  | {
      readonly kind: 'workgroup';
      readonly workgroupName: string;
      readonly database: string;
      readonly secretArn?: string;
      readonly workgroupArn?: string;
    };

export type TargetField = 'clusterIdentifier' | 'workgroupName' | 'database' | 'dbUser' | 'secretArn' | 'workgroupArn';

/** Each field's name in the handler's environment and among the module's inputs (the prop name is the key). */
export const TARGET_FIELDS: Readonly<Record<TargetField, { readonly env?: string; readonly input: string }>> = {
  clusterIdentifier: { env: ENV.CLUSTER_IDENTIFIER, input: 'cluster_identifier' },
  workgroupName: { env: ENV.WORKGROUP_NAME, input: 'workgroup_name' },
  database: { env: ENV.DATABASE, input: 'database' },
  dbUser: { env: ENV.DB_USER, input: 'db_user' },
  secretArn: { env: ENV.SECRET_ARN, input: 'secret_arn' },
  // Only IAM needs it (the workgroup's ARN holds its id); the handler addresses the workgroup by name.
  workgroupArn: { input: 'workgroup_arn' },
};

/**
 * A rule between fields, checked where `when` is given (always when it is absent):
 * `exactlyOne` — one of `fields`, not both and not neither; `forbidden` — `field` must not be given.
 */
export type TargetRule =
  | {
      readonly rule: 'exactlyOne';
      readonly when?: TargetField;
      readonly fields: readonly [TargetField, TargetField];
      readonly subject: string;
      readonly why?: string;
    }
  | { readonly rule: 'forbidden'; readonly when: TargetField; readonly field: TargetField; readonly subject: string; readonly why: string };

export const TARGET_RULES: readonly TargetRule[] = [
  {
    rule: 'exactlyOne',
    fields: ['clusterIdentifier', 'workgroupName'],
    subject: 'the Redshift target',
    why: 'a provisioned cluster or a Serverless workgroup',
  },
  {
    rule: 'exactlyOne',
    when: 'clusterIdentifier',
    fields: ['dbUser', 'secretArn'],
    subject: 'a cluster target',
    why: 'temporary credentials for a database user, or a secret',
  },
  {
    rule: 'forbidden',
    when: 'workgroupName',
    field: 'dbUser',
    subject: 'a workgroup target',
    why: "it uses the function's IAM identity (redshift-serverless:GetCredentials) or a secret",
  },
  {
    rule: 'forbidden',
    when: 'clusterIdentifier',
    field: 'workgroupArn',
    subject: 'a cluster target',
    why: 'it is for workgroup targets only',
  },
];

/**
 * How a layer sees a field: `absent`, `present`, or `maybe` — a value Terraform may still turn into null
 * (an `orNull` reference). Two `maybe` values satisfy `exactlyOne`: Terraform picks at plan time.
 */
export type Presence = 'absent' | 'present' | 'maybe';

/**
 * The problems of a target, each naming fields as the caller knows them (`nameOf`). `planTime`: the caller
 * accepts `maybe` values, and its messages say when two are allowed.
 */
export function targetProblems(
  presence: (field: TargetField) => Presence,
  nameOf: (field: TargetField) => string,
  options: { planTime?: boolean } = {},
): string[] {
  const problems: string[] = [];
  for (const rule of TARGET_RULES) {
    if (rule.when !== undefined && presence(rule.when) !== 'present') continue;
    if (rule.rule === 'forbidden') {
      if (presence(rule.field) !== 'absent') problems.push(`${rule.subject} takes no ${nameOf(rule.field)}: ${rule.why}`);
      continue;
    }
    const [first, second] = rule.fields.map(presence);
    const names = `${nameOf(rule.fields[0])} or ${nameOf(rule.fields[1])}`;
    if (first === 'absent' && second === 'absent') problems.push(`${rule.subject} needs ${names} (${rule.why})`);
    else if (first !== 'absent' && second !== 'absent' && !(first === 'maybe' && second === 'maybe')) {
      problems.push(`${rule.subject} takes ${names}, not both${options.planTime ? ' (unless both are orNull references)' : ''}`);
    }
  }
  return problems;
}
