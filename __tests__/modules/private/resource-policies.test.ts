import { deadLetterQueuePolicy, eventQueuePolicy, keyPolicy } from '../../../modules/private/resource-policies';

const env = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };

describe('keyPolicy', () => {
  const ruleArn = 'arn:aws:events:eu-west-1:123456789012:rule/etl-statement-status';
  const doc = keyPolicy({ env, logGroupNames: ['/aws/lambda/etl-tasker', '/aws/lambda/etl-completer'], statusRuleArn: ruleArn });

  test('the account administers the key; kms:* is granted to nobody else', () => {
    expect(doc.Statement[0]).toEqual({
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: ['kms:*'],
      Resource: '*',
    });
    expect(doc.Statement.filter((s) => s.Action.includes('kms:*'))).toHaveLength(1);
  });

  test('EventBridge may encrypt into the queues only for the status rule of this account', () => {
    expect(doc.Statement.find((s) => s.Sid === 'StatusRuleEncryptsIntoQueues')).toEqual({
      Sid: 'StatusRuleEncryptsIntoQueues',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:SourceArn': ruleArn },
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      },
    });
  });

  test("no SQS, DynamoDB or Lambda service principal, no statement without a condition but the account's", () => {
    const services = doc.Statement.flatMap((s) => (typeof s.Principal === 'object' ? [s.Principal.Service ?? []].flat() : []));
    expect(services.sort()).toEqual(['events.amazonaws.com', 'logs.eu-west-1.amazonaws.com']);
    expect(doc.Statement.filter((s) => s.Condition === undefined).map((s) => s.Sid)).toEqual(['AccountAdministersKey']);
    expect(doc.Statement.some((s) => s.Principal === '*')).toBe(false);
    expect(doc.Statement.every((s) => s.Effect === 'Allow' && !s.Action.includes('*'))).toBe(true);
  });

  test('without a status rule EventBridge gets no use of the key', () => {
    const withoutRule = keyPolicy({ env, logGroupNames: ['/aws/lambda/etl-tasker'] });
    expect(withoutRule.Statement.map((s) => s.Sid)).toEqual(['AccountAdministersKey', 'LogsUseKeyForTaskerLogGroups']);
  });

  test("CloudWatch Logs of the region only for this tasker's log groups", () => {
    const logs = doc.Statement.find((s) => s.Sid === 'LogsUseKeyForTaskerLogGroups');
    expect(logs?.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(logs?.Condition).toEqual({
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': [
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/etl-tasker',
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/etl-completer',
        ],
      },
    });
  });
});

describe('queue policies', () => {
  const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:etl-statement-events';
  const ruleArn = 'arn:aws:events:eu-west-1:123456789012:rule/etl-statement-status';

  test('only the rule sends; non-TLS is denied', () => {
    expect(eventQueuePolicy(queueArn, ruleArn).Statement).toEqual([
      {
        Sid: 'OnlyTheStatusRuleSends',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['sqs:SendMessage'],
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['sqs:*'],
        Resource: queueArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  test('the dead-letter queue without a rule only denies non-TLS access', () => {
    expect(deadLetterQueuePolicy(`${queueArn}-dlq`).Statement).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Resource: `${queueArn}-dlq` }),
    ]);
  });

  test('the dead-letter queue with a rule: only that rule sends its undelivered events; non-TLS is denied', () => {
    expect(deadLetterQueuePolicy(`${queueArn}-dlq`, ruleArn).Statement).toEqual([
      {
        Sid: 'StatusRuleSendsUndeliveredEvents',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['sqs:SendMessage'],
        Resource: `${queueArn}-dlq`,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Resource: `${queueArn}-dlq` }),
    ]);
  });
});
