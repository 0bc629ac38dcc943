/**
 * The HCL root the conformance suite applies: the committed `terraform-module/` called as a user would,
 * the aws provider pointed at the target, and a KMS key of the caller's own (for the `encryption_key_arn` rows).
 */
import { join } from 'node:path';
import { awsProviderBlock, type ConformanceTarget } from './conformance-target';

export const COMMITTED_MODULE_DIR = join(__dirname, '..', '..', '..', 'terraform-module');

/** The module inputs of the first apply: a cluster reached with temporary credentials for a db user. */
export function baselineInputs(namePrefix: string): Record<string, unknown> {
  return { name_prefix: namePrefix, cluster_identifier: 'analytics', database: 'dev', db_user: 'etl_user' };
}

/** `main.tf.json` for the root: the module with `inputs`; `var.`-free so each step rewrites the file. */
export function moduleRootConfig(target: ConformanceTarget, inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '~> 5.100' } } },
    provider: { aws: [awsProviderBlock(target)] },
    data: { aws_caller_identity: { current: {} }, aws_region: { current: {} } },
    resource: {
      aws_kms_key: {
        // The caller's own key, for the `encryption_key_arn` rows: its policy admits the account (IAM decides
        // for the services that use a key on a principal's behalf) and CloudWatch Logs, which needs the key policy.
        callers_key: {
          description: `${inputs.name_prefix as string} conformance: a key of the caller's`,
          deletion_window_in_days: 7,
          policy: callersKeyPolicy(),
        },
      },
    },
    module: { tasker: { source: COMMITTED_MODULE_DIR, ...inputs } },
    output: {
      tasker: { value: '${module.tasker}' },
      callers_key_arn: { value: '${aws_kms_key.callers_key.arn}' },
    },
  };
}

function callersKeyPolicy(): string {
  const account = '${data.aws_caller_identity.current.account_id}';
  // A JSON string whose `${...}` Terraform interpolates (Terraform JSON syntax).
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Principal: { Service: 'logs.${data.aws_region.current.name}.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
      },
    ],
  });
}
