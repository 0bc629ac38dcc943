/**
 * Minimal IAM policy document types and helpers. Documents are plain objects rendered with
 * `terraformJson` (`terraform-json.ts`): `JSON.stringify`, where Terraform references (ARNs of other
 * resources) stay tokens that cdktf resolves into `${...}` interpolations of the JSON string, or
 * Terraform's `jsonencode` when a document holds a list reference (`stateMachineArns`).
 */
import type { AwsEnvironment } from '../aws-environment';

export type PolicyCondition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS?: string | string[]; readonly Service?: string | string[] };
  readonly Action: string[];
  /** Absent only in trust policies, which must not name a resource. */
  readonly Resource?: string | string[];
  readonly Condition?: PolicyCondition;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The IAM policy variable `${aws:userid}`, escaped for Terraform: a bare `${` inside a string would be
 * read as a Terraform interpolation. Terraform turns `$${` back into `${`.
 */
export const AWS_USERID_VARIABLE = '$${aws:userid}';

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arnOf(env: AwsEnvironment, service: string, resource: string, opts: { global?: boolean } = {}): string {
  return `arn:${env.partition}:${service}:${opts.global ? '' : env.region}:${env.accountId}:${resource}`;
}
