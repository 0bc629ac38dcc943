/**
 * Resource policies: the KMS key policy and the SQS queue policies.
 */
import { arnOf, AwsEnvironment, policyDocument, PolicyDocument, PolicyStatement } from './policy-document';

const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'];

export interface KeyPolicyInput {
  readonly env: AwsEnvironment;
  /** Log groups encrypted with the key (CloudWatch Logs is limited to these through the encryption context). */
  readonly logGroupNames: readonly string[];
}

/**
 * Key policy: the account administers the key (as the default key policy does, so IAM policies decide
 * who manages it and the key can never become unmanageable); EventBridge, SQS, DynamoDB and Lambda
 * may use it; CloudWatch Logs only for this tasker's log groups.
 */
export function keyPolicy(input: KeyPolicyInput): PolicyDocument {
  const { env } = input;
  const services = ['events', 'sqs', 'dynamodb', 'lambda'].map((s) => `${s}.amazonaws.com`);
  return policyDocument([
    {
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: arnOf(env, 'iam', 'root', { global: true }) },
      Action: ['kms:*'],
      Resource: '*',
    },
    {
      Sid: 'TaskerServicesUseKey',
      Effect: 'Allow',
      Principal: { Service: services },
      Action: KEY_USE_ACTIONS,
      Resource: '*',
    },
    {
      Sid: 'LogsUseKeyForTaskerLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${env.region}.amazonaws.com` },
      Action: KEY_USE_ACTIONS,
      Resource: '*',
      Condition: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': input.logGroupNames.map((name) => arnOf(env, 'logs', `log-group:${name}`)),
        },
      },
    },
  ]);
}

/** Denies every request to the queue that does not use TLS. */
function denyInsecureTransport(queueArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: ['sqs:*'],
    Resource: queueArn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** The completion-event queue: only this tasker's rule may send; TLS only. */
export function eventQueuePolicy(queueArn: string, ruleArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'OnlyTheStatusRuleSends',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sqs:SendMessage'],
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    },
    denyInsecureTransport(queueArn),
  ]);
}

/** The dead-letter queue: TLS only (SQS itself moves messages in through the redrive policy). */
export function deadLetterQueuePolicy(queueArn: string): PolicyDocument {
  return policyDocument([denyInsecureTransport(queueArn)]);
}
