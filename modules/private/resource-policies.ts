/**
 * Resource policies: the KMS key policy and the SQS queue policies.
 */
import type { AwsEnvironment } from '../aws-environment';
import { arnOf, policyDocument, type PolicyDocument, type PolicyStatement } from './policy-document';

const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'];

export interface KeyPolicyInput {
  readonly env: AwsEnvironment;
  /** Log groups encrypted with the key (CloudWatch Logs is limited to these through the encryption context). */
  readonly logGroupNames: readonly string[];
  /**
   * ARN of the status rule whose events EventBridge encrypts into the (dead-letter) queue; without it
   * EventBridge gets no use of the key.
   */
  readonly statusRuleArn?: string;
}

/**
 * Key policy: the account administers the key (as the default key policy does, so IAM policies decide
 * who manages it and the key can never become unmanageable); EventBridge may use it only for this
 * tasker's status rule; CloudWatch Logs only for this tasker's log groups.
 *
 * No statement for SQS, DynamoDB or Lambda: they use the key with the credentials of the caller (the
 * tasker role, the deployer) through `kms:ViaService` requests and grants, which the account statement
 * plus the caller's IAM policy already allow. EventBridge is different: it sends to an encrypted queue
 * as itself, so the key policy must name it.
 */
export function keyPolicy(input: KeyPolicyInput): PolicyDocument {
  const { env } = input;
  const statements: PolicyStatement[] = [
    {
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: arnOf(env, 'iam', 'root', { global: true }) },
      Action: ['kms:*'],
      Resource: '*',
    },
  ];
  if (input.statusRuleArn !== undefined) {
    statements.push({
      Sid: 'StatusRuleEncryptsIntoQueues',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:SourceArn': input.statusRuleArn },
        StringEquals: { 'aws:SourceAccount': env.accountId },
      },
    });
  }
  statements.push({
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
  });
  return policyDocument(statements);
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

/**
 * The dead-letter queue: SQS itself moves messages in through the redrive policy; the status rule (when
 * given) may send the events it failed to deliver to the event queue (its target's dead-letter config).
 * TLS only.
 */
export function deadLetterQueuePolicy(queueArn: string, statusRuleArn?: string): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (statusRuleArn !== undefined) {
    statements.push({
      Sid: 'StatusRuleSendsUndeliveredEvents',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sqs:SendMessage'],
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': statusRuleArn } },
    });
  }
  statements.push(denyInsecureTransport(queueArn));
  return policyDocument(statements);
}
