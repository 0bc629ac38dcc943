import {
  databaseCredentialsStatement,
  dataApiTargetArn,
  lambdaAssumeRolePolicy,
  taskerRolePolicy,
  callbackReaderPolicy,
  type TaskerPolicyInput,
} from '../../../modules/private/iam-policies';
import type { PolicyDocument, PolicyStatement } from '../../../modules/private/policy-document';
import type { ResolvedTarget } from '../../../modules/tasker-config';

const env = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
const base = 'arn:aws:redshift:eu-west-1:123456789012';
const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rs-AbCdEf';
const workgroupArn = 'arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab';
const targets: Record<string, ResolvedTarget> = {
  clusterDbUser: { kind: 'cluster', clusterIdentifier: 'analytics', database: 'dev', dbUser: 'tasker_user' },
  clusterSecret: { kind: 'cluster', clusterIdentifier: 'analytics', database: 'dev', secretArn },
  workgroup: { kind: 'workgroup', workgroupName: 'wg', database: 'dev' },
  workgroupWithArn: { kind: 'workgroup', workgroupName: 'wg', database: 'dev', workgroupArn },
  workgroupSecret: { kind: 'workgroup', workgroupName: 'wg', database: 'dev', secretArn },
};

function input(overrides: Partial<TaskerPolicyInput> = {}): TaskerPolicyInput {
  return {
    env,
    target: targets.clusterDbUser,
    tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking',
    keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234',
    queueArn: 'arn:aws:sqs:eu-west-1:123456789012:etl-statement-events',
    logGroupNames: ['/aws/lambda/etl-tasker'],
    statementOwner: { kind: 'session' },
    ...overrides,
  };
}

const bySid = (doc: PolicyDocument, sid: string): PolicyStatement | undefined => doc.Statement.find((s) => s.Sid === sid);

/** Maps every allowed action to the resources it is granted on. */
function grants(doc: PolicyDocument): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of doc.Statement) {
    for (const action of s.Action) out[action] = [...(out[action] ?? []), ...([] as string[]).concat(s.Resource ?? [])];
  }
  return out;
}

describe('taskerRolePolicy', () => {
  test('cluster + dbUser: every action on exactly its resource', () => {
    expect(grants(taskerRolePolicy(input()))).toEqual({
      'redshift-data:ExecuteStatement': [`${base}:cluster:analytics`],
      'redshift-data:BatchExecuteStatement': [`${base}:cluster:analytics`],
      'redshift-data:DescribeStatement': ['*'],
      'redshift-data:CancelStatement': ['*'],
      'redshift-data:GetStatementResult': ['*'],
      'redshift:GetClusterCredentials': [`${base}:dbuser:analytics/tasker_user`, `${base}:dbname:analytics/dev`],
      'dynamodb:GetItem': ['arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking'],
      'dynamodb:PutItem': ['arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking'],
      'dynamodb:UpdateItem': ['arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking'],
      'dynamodb:DeleteItem': ['arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking'],
      'dynamodb:Query': [
        'arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking/index/byExecution',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking/index/byRunning',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking/index/byPendingCallback',
      ],
      // The sweep's one-off upgrade pass (legacy-callbacks.ts): the table only, never an index.
      'dynamodb:Scan': ['arn:aws:dynamodb:eu-west-1:123456789012:table/etl-tracking'],
      'kms:Decrypt': ['arn:aws:kms:eu-west-1:123456789012:key/1234'],
      'kms:Encrypt': ['arn:aws:kms:eu-west-1:123456789012:key/1234'],
      'kms:GenerateDataKey': ['arn:aws:kms:eu-west-1:123456789012:key/1234'],
      'states:SendTaskSuccess': ['arn:aws:states:eu-west-1:123456789012:stateMachine:*'],
      'states:SendTaskFailure': ['arn:aws:states:eu-west-1:123456789012:stateMachine:*'],
      'logs:CreateLogStream': ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/etl-tasker:*'],
      'logs:PutLogEvents': ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/etl-tasker:*'],
      'sqs:ReceiveMessage': ['arn:aws:sqs:eu-west-1:123456789012:etl-statement-events'],
      'sqs:DeleteMessage': ['arn:aws:sqs:eu-west-1:123456789012:etl-statement-events'],
      'sqs:GetQueueAttributes': ['arn:aws:sqs:eu-west-1:123456789012:etl-statement-events'],
    });
  });

  test('statement reads are limited to the calling session (Terraform-escaped ${aws:userid})', () => {
    expect(bySid(taskerRolePolicy(input()), 'ReadOwnStatements')?.Condition).toEqual({
      StringEquals: { 'redshift-data:statement-owner-iam-userid': '$${aws:userid}' },
    });
  });

  test('with a shared role (separate completer) reads are limited to sessions of that role', () => {
    const doc = taskerRolePolicy(input({ statementOwner: { kind: 'role', roleUniqueId: 'AROAEXAMPLE' } }));
    expect(bySid(doc, 'ReadOwnStatements')?.Condition).toEqual({
      StringLike: { 'redshift-data:statement-owner-iam-userid': 'AROAEXAMPLE:*' },
    });
  });

  test.each(Object.entries(targets))('%s: no "*" action, and "*" resources only with the owner condition', (_name, target) => {
    const doc = taskerRolePolicy(input({ target }));
    for (const s of doc.Statement) {
      expect(s.Effect).toBe('Allow');
      for (const action of s.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      if (([] as string[]).concat(s.Resource ?? []).includes('*')) expect(s.Sid).toBe('ReadOwnStatements');
    }
    expect(new Set(doc.Statement.map((s) => s.Sid)).size).toBe(doc.Statement.length);
    expect(doc.Statement.every((s) => /^[A-Za-z0-9]+$/.test(s.Sid))).toBe(true);
  });

  test('cluster + secret: GetSecretValue on that secret, no cluster credentials', () => {
    const g = grants(taskerRolePolicy(input({ target: targets.clusterSecret })));
    expect(g['secretsmanager:GetSecretValue']).toEqual([secretArn]);
    expect(g['redshift:GetClusterCredentials']).toBeUndefined();
    expect(g['redshift-data:ExecuteStatement']).toEqual([`${base}:cluster:analytics`]);
  });

  test("workgroup: Data API and GetCredentials on the account's workgroups (ARNs hold ids, not names)", () => {
    const g = grants(taskerRolePolicy(input({ target: targets.workgroup })));
    const anyWorkgroup = 'arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/*';
    expect(g['redshift-data:ExecuteStatement']).toEqual([anyWorkgroup]);
    expect(g['redshift-data:BatchExecuteStatement']).toEqual([anyWorkgroup]);
    expect(g['redshift-serverless:GetCredentials']).toEqual([anyWorkgroup]);
    expect(g['redshift:GetClusterCredentials']).toBeUndefined();
    expect(g['secretsmanager:GetSecretValue']).toBeUndefined();
  });

  test('workgroup with its ARN: narrowed to that workgroup', () => {
    const g = grants(taskerRolePolicy(input({ target: targets.workgroupWithArn })));
    expect(g['redshift-data:ExecuteStatement']).toEqual([workgroupArn]);
    expect(g['redshift-serverless:GetCredentials']).toEqual([workgroupArn]);
  });

  test('workgroup + secret: the secret instead of GetCredentials', () => {
    const g = grants(taskerRolePolicy(input({ target: targets.workgroupSecret })));
    expect(g['secretsmanager:GetSecretValue']).toEqual([secretArn]);
    expect(g['redshift-serverless:GetCredentials']).toBeUndefined();
  });

  test('no queue: no SQS permissions', () => {
    const doc = taskerRolePolicy(input({ queueArn: undefined }));
    expect(doc.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('sqs:'))).toEqual([]);
  });

  test('given state machines and log groups are the only callback and log resources', () => {
    const machines = ['arn:aws:states:eu-west-1:123456789012:stateMachine:load'];
    const doc = taskerRolePolicy(input({ stateMachineArns: machines, logGroupNames: ['/aws/lambda/a', '/aws/lambda/b'] }));
    expect(bySid(doc, 'AnswerTaskTokens')?.Resource).toEqual(machines);
    expect(bySid(doc, 'WriteOwnLogs')?.Resource).toEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/a:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/b:*',
    ]);
  });
});

describe('helpers', () => {
  test('dataApiTargetArn uses the partition', () => {
    expect(dataApiTargetArn({ ...env, partition: 'aws-cn' }, targets.clusterDbUser)).toBe(
      'arn:aws-cn:redshift:eu-west-1:123456789012:cluster:analytics',
    );
  });

  test('databaseCredentialsStatement picks the secret first', () => {
    expect(databaseCredentialsStatement(env, targets.workgroupSecret).Action).toEqual(['secretsmanager:GetSecretValue']);
  });

  test('the trust policy lets only Lambda assume the role, and names no resource', () => {
    expect(lambdaAssumeRolePolicy()).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'LambdaAssumesRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['sts:AssumeRole'] },
      ],
    });
  });
});

describe('taskerRolePolicy operational additions', () => {
  test('heartbeats add SendTaskHeartbeat on the same state machines; VPC and tracing add their "*"-only actions', () => {
    const machines = ['arn:aws:states:eu-west-1:123456789012:stateMachine:a'];
    const doc = taskerRolePolicy(input({ heartbeats: true, vpc: true, tracing: true, stateMachineArns: machines }));
    expect(bySid(doc, 'AnswerTaskTokens')).toEqual({
      Sid: 'AnswerTaskTokens',
      Effect: 'Allow',
      Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      Resource: machines,
    });
    expect(grants(doc)['ec2:CreateNetworkInterface']).toEqual(['*']);
    expect(grants(doc)['xray:PutTraceSegments']).toEqual(['*']);
    const plain = taskerRolePolicy(input());
    expect(Object.keys(grants(plain)).filter((action) => /^(ec2|xray):|SendTaskHeartbeat/.test(action))).toEqual([]);
  });
});

describe('callbackReaderPolicy', () => {
  test("reads only statements the reusing tasker's role owns; answers its state machines", () => {
    const doc = callbackReaderPolicy({
      env,
      starterRoleUniqueId: 'AROASECOND',
      stateMachineArns: ['arn:aws:states:eu-west-1:123456789012:stateMachine:b'],
    });
    expect(doc.Statement).toEqual([
      {
        Sid: 'ReadReusingTaskerStatements',
        Effect: 'Allow',
        Action: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'],
        Resource: '*',
        Condition: { StringLike: { 'redshift-data:statement-owner-iam-userid': 'AROASECOND:*' } },
      },
      {
        Sid: 'AnswerReusingTaskerTaskTokens',
        Effect: 'Allow',
        Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        Resource: ['arn:aws:states:eu-west-1:123456789012:stateMachine:b'],
      },
    ]);
  });

  test(
    "with the reader's heartbeats and orphan cancel: SendTaskHeartbeat and CancelStatement on the reusing tasker's tasks and " +
      'statements',
    () => {
      const doc = callbackReaderPolicy({ env, starterRoleUniqueId: 'AROASECOND', heartbeats: true, cancelOrphans: true });
      expect(doc.Statement[0].Action).toEqual([
        'redshift-data:DescribeStatement',
        'redshift-data:GetStatementResult',
        'redshift-data:CancelStatement',
      ]);
      expect(doc.Statement[0].Condition).toEqual({ StringLike: { 'redshift-data:statement-owner-iam-userid': 'AROASECOND:*' } });
      expect(doc.Statement[1].Action).toEqual(['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']);
    },
  );

  test('no CancelStatement without orphan cancel, and every state machine of the account by default', () => {
    const doc = callbackReaderPolicy({ env, starterRoleUniqueId: 'AROASECOND' });
    expect(doc.Statement.flatMap((s) => s.Action)).not.toContain('redshift-data:CancelStatement');
    expect(doc.Statement[1].Resource).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:*');
  });
});
