import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ENV, STATUS_EVENT, TABLE } from '../../functions/shared/contract';
import { SfnRedshiftTasker, TASKER_RUNTIME } from '../../modules/sfn-redshift-tasker';
import { TaskerConfigurationError } from '../../modules/tasker-config';
import { trackingTableCreateInput } from '../../local/dynamodb';
import type { TaskerLogLevel } from '../../modules/tasker-props';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLUSTER_TARGET,
  envExpressions,
  onlyResource,
  parsePolicy,
  refTo,
  resolveInStack,
  resourceCounts,
  resourcesOf,
  resourceWhere,
  statementBySid,
  synthTasker,
  type SynthResult,
} from './synth-helpers';

const bundleSha = readFileSync(join(__dirname, '..', '..', 'dist', 'tasker-handler.zip.sha256'), 'utf8').trim();

describe('SfnRedshiftTasker with defaults (cluster + dbUser)', () => {
  const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, tags: { team: 'data' } });
  const keyRef = refTo(result, 'aws_kms_key', () => true, 'arn');
  const tableRef = (attr: string) => refTo(result, 'aws_dynamodb_table', () => true, attr);
  const queueRef = (attr: string) => refTo(result, 'aws_sqs_queue', (q) => q.name === 'etl-statement-events', attr);
  const dlqRef = (attr: string) => refTo(result, 'aws_sqs_queue', (q) => q.name === 'etl-statement-events-dlq', attr);
  const functionRef = (attr: string) => refTo(result, 'aws_lambda_function', () => true, attr);

  test('creates exactly the expected resources', () => {
    expect(resourceCounts(result)).toEqual({
      aws_cloudwatch_event_rule: 2,
      aws_cloudwatch_event_target: 2,
      aws_cloudwatch_log_group: 1,
      aws_dynamodb_table: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_kms_alias: 1,
      aws_kms_key: 1,
      aws_lambda_event_source_mapping: 1,
      aws_lambda_function: 1,
      aws_lambda_permission: 1,
      aws_sqs_queue: 2,
      aws_sqs_queue_policy: 2,
    });
    expect(Object.keys(result.json.data ?? {}).sort()).toEqual(['aws_partition', 'aws_region']);
  });

  test('the function ships the prebuilt bundle as a file asset with its SHA-256', () => {
    const fn = onlyResource(result, 'aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: 'etl-tasker',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      memory_size: 256,
      timeout: 60,
      source_code_hash: bundleSha,
      kms_key_arn: keyRef,
      role: refTo(result, 'aws_iam_role', () => true, 'arn'),
      tags: { team: 'data' },
    });
    expect(fn.filename).toMatch(/^assets\/etl_HandlerBundle_[0-9A-F]{8}\/[0-9A-F]{32}\/tasker-handler\.zip$/);
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(fn.logging_config).toEqual({ log_format: 'Text', log_group: refTo(result, 'aws_cloudwatch_log_group', () => true, 'name') });
    expect(fn.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
    expect(TASKER_RUNTIME).toEqual({ handler: 'index.handler', runtime: 'nodejs22.x' });
  });

  test('the function gets the contract environment variables', () => {
    expect(onlyResource(result, 'aws_lambda_function').environment.variables).toEqual({
      [ENV.TABLE_NAME]: tableRef('name'),
      [ENV.CLUSTER_IDENTIFIER]: 'analytics',
      [ENV.DATABASE]: 'dev',
      [ENV.DB_USER]: 'tasker_user',
      [ENV.STATEMENT_NAME_PREFIX]: 'sfnrs-etl-',
      [ENV.ABORTED_ERROR_NAME]: 'FAILED',
      [ENV.ITEM_TTL_SECONDS]: '86400',
      [ENV.SWEEP_GRACE_SECONDS]: '300',
      [ENV.DESCRIBE_ON_SUCCESS]: 'false',
      [ENV.FAST_PATH_SECONDS]: '1',
      [ENV.LOG_LEVEL]: 'INFO',
      [ENV.SERVICE_NAME]: 'etl-tasker',
      [ENV.SEND_HEARTBEATS]: 'true',
      [ENV.CANCEL_ORPHANED_STATEMENTS]: 'true',
      [ENV.CALLBACK_MAX_AGE_SECONDS]: '31536000',
      [ENV.TASKER_NAME]: 'etl',
      [ENV.METRICS_NAMESPACE]: 'SfnRedshiftTasker',
      [ENV.ROLE_NAME]: 'etl-tasker-role',
    });
  });

  test('TASKER_ROLE_NAME is the role’s name as given, a string known at plan time (not the role’s attribute)', () => {
    const roleName = onlyResource(result, 'aws_iam_role').name;
    // The fast path builds detail.principal from it and its invoked ARN: the environment needs no account id.
    expect(onlyResource(result, 'aws_lambda_function').environment.variables[ENV.ROLE_NAME]).toBe(roleName);
    expect(onlyResource(result, 'aws_lambda_function').environment.variables).not.toHaveProperty(ENV.PRINCIPAL);
  });

  test('log group: named for the function, retention, encrypted, tagged', () => {
    expect(onlyResource(result, 'aws_cloudwatch_log_group')).toEqual({
      name: '/aws/lambda/etl-tasker',
      retention_in_days: 30,
      kms_key_id: keyRef,
      tags: { team: 'data' },
    });
  });

  test('tracking table: on demand, keys and indexes of the contract, TTL, SSE with the key, PITR', () => {
    const table = onlyResource(result, 'aws_dynamodb_table');
    expect(table).toMatchObject({
      name: 'etl-tracking',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: TABLE.PARTITION_KEY,
      ttl: { attribute_name: TABLE.TTL_ATTRIBUTE, enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: keyRef },
      point_in_time_recovery: { enabled: true },
      tags: { team: 'data' },
    });
    expect(table.range_key).toBeUndefined();
    expect(table.attribute).toEqual(
      expect.arrayContaining([
        { name: 'pk', type: 'S' },
        { name: 'executionArn', type: 'S' },
        { name: 'runningPartition', type: 'S' },
        { name: 'startedAt', type: 'S' },
        { name: 'pendingCallback', type: 'S' },
        { name: 'nextAttemptAt', type: 'S' },
      ]),
    );
    expect(table.attribute).toHaveLength(6);
    expect(table.global_secondary_index).toEqual([
      {
        name: 'byExecution',
        hash_key: 'executionArn',
        range_key: 'startedAt',
        projection_type: 'INCLUDE',
        non_key_attributes: ['statementId'],
      },
      {
        name: 'byRunning',
        hash_key: 'runningPartition',
        range_key: 'startedAt',
        projection_type: 'INCLUDE',
        non_key_attributes: ['statementId', 'runningSql'],
      },
      {
        name: 'byPendingCallback',
        hash_key: 'pendingCallback',
        range_key: 'nextAttemptAt',
        projection_type: 'INCLUDE',
        non_key_attributes: ['statementId', 'completedAt'],
      },
    ]);
  });

  test(
    'tracking table: indexes never carry the task token; the table is the contract TABLE_DEFINITION, as local/dynamodb creates ' + 'it',
    () => {
      const table = onlyResource(result, 'aws_dynamodb_table');
      for (const index of table.global_secondary_index) {
        expect(index.projection_type).not.toBe('ALL');
        expect(index.non_key_attributes).not.toContain('taskToken');
      }
      // The same definition, as the tests and local runs send it to dynalite.
      const local = trackingTableCreateInput('etl-tracking');
      expect(table.billing_mode).toBe(local.BillingMode);
      expect(table.attribute).toEqual(local.AttributeDefinitions!.map((a) => ({ name: a.AttributeName, type: a.AttributeType })));
      expect(table.global_secondary_index).toEqual(
        local.GlobalSecondaryIndexes!.map((index) => ({
          name: index.IndexName,
          hash_key: index.KeySchema!.find((k) => k.KeyType === 'HASH')!.AttributeName,
          range_key: index.KeySchema!.find((k) => k.KeyType === 'RANGE')!.AttributeName,
          projection_type: index.Projection!.ProjectionType,
          non_key_attributes: index.Projection!.NonKeyAttributes,
        })),
      );
    },
  );

  test("status rule matches only terminal status changes of this tasker's statements and targets the queue", () => {
    const rule = resourceWhere(result, 'aws_cloudwatch_event_rule', 'name', 'etl-statement-status');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: [STATUS_EVENT.SOURCE],
      'detail-type': [STATUS_EVENT.DETAIL_TYPE],
      detail: { statementName: [{ prefix: 'sfnrs-etl-' }], state: ['FINISHED', 'FAILED', 'ABORTED'] },
    });
    expect(rule.tags).toEqual({ team: 'data' });
    expect(rule.schedule_expression).toBeUndefined();
    const ruleName = refTo(result, 'aws_cloudwatch_event_rule', (r) => r.name === 'etl-statement-status', 'name');
    expect(resourceWhere(result, 'aws_cloudwatch_event_target', 'rule', ruleName)).toEqual({
      rule: ruleName,
      arn: queueRef('arn'),
      target_id: 'statement-events-queue',
      retry_policy: { maximum_event_age_in_seconds: 86_400, maximum_retry_attempts: 185 },
      dead_letter_config: { arn: dlqRef('arn') },
    });
  });

  test('sweep rule invokes the function on a schedule, allowed only from that rule', () => {
    const rule = resourceWhere(result, 'aws_cloudwatch_event_rule', 'name', 'etl-sweep');
    expect(rule).toMatchObject({ schedule_expression: 'rate(5 minutes)', tags: { team: 'data' } });
    expect(rule.event_pattern).toBeUndefined();
    const ruleRef = (attr: string) => refTo(result, 'aws_cloudwatch_event_rule', (r) => r.name === 'etl-sweep', attr);
    expect(resourceWhere(result, 'aws_cloudwatch_event_target', 'rule', ruleRef('name'))).toEqual({
      rule: ruleRef('name'),
      arn: functionRef('arn'),
      target_id: 'sweep',
    });
    expect(onlyResource(result, 'aws_lambda_permission')).toEqual({
      statement_id: 'AllowSweepSchedule',
      action: 'lambda:InvokeFunction',
      function_name: functionRef('function_name'),
      principal: 'events.amazonaws.com',
      source_arn: ruleRef('arn'),
    });
  });

  test('queue: encrypted, visibility 6 x timeout, redrive to the DLQ after 15 receives', () => {
    const queue = resourceWhere(result, 'aws_sqs_queue', 'name', 'etl-statement-events');
    expect(queue).toMatchObject({ kms_master_key_id: keyRef, visibility_timeout_seconds: 360, tags: { team: 'data' } });
    expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: dlqRef('arn'), maxReceiveCount: 15 });
    const dlq = resourceWhere(result, 'aws_sqs_queue', 'name', 'etl-statement-events-dlq');
    expect(dlq).toEqual({
      name: 'etl-statement-events-dlq',
      kms_master_key_id: keyRef,
      message_retention_seconds: 1_209_600,
      tags: { team: 'data' },
    });
  });

  test('queue policies: only the status rule may send, TLS only on both queues', () => {
    const queuePolicy = resourceWhere(result, 'aws_sqs_queue_policy', 'queue_url', queueRef('url'));
    const doc = parsePolicy(queuePolicy.policy);
    expect(statementBySid(doc, 'OnlyTheStatusRuleSends')).toEqual({
      Sid: 'OnlyTheStatusRuleSends',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sqs:SendMessage'],
      Resource: queueRef('arn'),
      Condition: {
        ArnEquals: { 'aws:SourceArn': refTo(result, 'aws_cloudwatch_event_rule', (r) => r.name === 'etl-statement-status', 'arn') },
      },
    });
    expect(statementBySid(doc, 'DenyInsecureTransport')).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Resource: queueRef('arn'),
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(doc.Statement).toHaveLength(2);
    const dlqDoc = parsePolicy(resourceWhere(result, 'aws_sqs_queue_policy', 'queue_url', dlqRef('url')).policy);
    expect(dlqDoc.Statement).toEqual([
      {
        Sid: 'StatusRuleSendsUndeliveredEvents',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['sqs:SendMessage'],
        Resource: dlqRef('arn'),
        Condition: {
          ArnEquals: { 'aws:SourceArn': refTo(result, 'aws_cloudwatch_event_rule', (r) => r.name === 'etl-statement-status', 'arn') },
        },
      },
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Resource: dlqRef('arn') }),
    ]);
  });

  test('key policy: EventBridge only for the status rule of this account, no SQS/DynamoDB/Lambda principal', () => {
    const doc = parsePolicy(onlyResource(result, 'aws_kms_key').policy);
    const { partition, region, account } = envExpressions(result);
    expect(statementBySid(doc, 'StatusRuleEncryptsIntoQueues').Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': `arn:${partition}:events:${region}:${account}:rule/etl-statement-status` },
      StringEquals: { 'aws:SourceAccount': account },
    });
    const principals = doc.Statement.flatMap((st) => (typeof st.Principal === 'object' ? [st.Principal.Service ?? []].flat() : []));
    expect(principals).toEqual(['events.amazonaws.com', `logs.${region}.amazonaws.com`]);
  });

  test('event source mapping feeds the queue to the function with partial batch failures', () => {
    expect(onlyResource(result, 'aws_lambda_event_source_mapping')).toMatchObject({
      event_source_arn: queueRef('arn'),
      function_name: functionRef('arn'),
      batch_size: 10,
      function_response_types: ['ReportBatchItemFailures'],
      tags: { team: 'data' },
    });
    expect(onlyResource(result, 'aws_lambda_event_source_mapping').maximum_batching_window_in_seconds).toBeUndefined();
    // Unreserved: no cap on the mapping's concurrency.
    expect(onlyResource(result, 'aws_lambda_event_source_mapping').scaling_config).toBeUndefined();
  });

  test('KMS key with rotation and alias/<namePrefix>', () => {
    expect(onlyResource(result, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, tags: { team: 'data' } });
    expect(onlyResource(result, 'aws_kms_alias')).toEqual({
      name: 'alias/etl',
      target_key_id: refTo(result, 'aws_kms_key', () => true, 'key_id'),
    });
  });

  test('role: assumed by Lambda only, tagged; account id comes from its own ARN', () => {
    const role = onlyResource(result, 'aws_iam_role');
    expect(role.name).toBe('etl-tasker-role');
    expect(role.tags).toEqual({ team: 'data' });
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      { Sid: 'LambdaAssumesRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['sts:AssumeRole'] },
    ]);
    const roleId = Object.keys(resourcesOf(result, 'aws_iam_role'))[0];
    const locals = Object.values(result.json.locals ?? {});
    expect(locals).toEqual([`\${element(split(":", aws_iam_role.${roleId}.arn), 4)}`]);
    expect(envExpressions(result).account).toMatch(/^\$\{local\.etl_AccountId_[0-9A-F]{8}\}$/);
    expect(result.raw).not.toContain('aws_caller_identity');
  });

  test('public properties point at the created resources', () => {
    const { tasker } = result;
    expect(tasker.completerFunction).toBe(tasker.lambdaFunction);
    expect(tasker.statementNamePrefix).toBe('sfnrs-etl-');
    expect(tasker.queue).toBeDefined();
    expect(tasker.deadLetterQueue).toBeDefined();
    expect(tasker.eventRule).toBeDefined();
    expect(tasker.sweepRule).toBeDefined();
    expect(tasker.logGroups).toHaveLength(1);
    expect(
      resolveInStack(result.stack, {
        fn: tasker.lambdaFunction.arn,
        tableName: tasker.trackingTable.name,
        tableArn: tasker.trackingTable.arn,
        key: tasker.encryptionKey.arn,
        role: tasker.role.arn,
      }),
    ).toEqual({
      fn: functionRef('arn'),
      tableName: tableRef('name'),
      tableArn: tableRef('arn'),
      key: keyRef,
      role: refTo(result, 'aws_iam_role', () => true, 'arn'),
    });
  });
});

describe('SfnRedshiftTasker with bad props', () => {
  test('throws a TaskerConfigurationError and adds nothing to the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    expect(() => new SfnRedshiftTasker(stack, 'etl', { redshiftTarget: { ...CLUSTER_TARGET, database: '' } })).toThrow(
      TaskerConfigurationError,
    );
    expect(() => new SfnRedshiftTasker(stack, 'etl', {})).toThrow(/a Redshift target is required/);
    expect(stack.node.tryFindChild('etl')).toBeUndefined();
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
  });
});

describe('resourcesOf helper', () => {
  test('returns an empty map for absent types', () => {
    expect(resourcesOf(synthTasker({ redshiftTarget: CLUSTER_TARGET }), 'aws_s3_bucket')).toEqual({});
  });
});

/** Every policy document in the synthesised stack: role, trust, key and queue policies. */
function allPolicyDocuments(result: ReturnType<typeof synthTasker>) {
  return [
    ...Object.values(resourcesOf(result, 'aws_iam_role_policy')).map((r) => parsePolicy(r.policy)),
    ...Object.values(resourcesOf(result, 'aws_iam_role')).map((r) => parsePolicy(r.assume_role_policy)),
    ...Object.values(resourcesOf(result, 'aws_kms_key')).map((r) => parsePolicy(r.policy)),
    ...Object.values(resourcesOf(result, 'aws_sqs_queue_policy')).map((r) => parsePolicy(r.policy)),
  ];
}

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift-AbCdEf';
const WORKGROUP_ARN = 'arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';

describe.each([
  ['cluster + dbUser', { redshiftTarget: CLUSTER_TARGET }],
  ['cluster + secret', { redshiftTarget: { clusterIdentifier: 'analytics', database: 'dev', secretArn: SECRET_ARN } }],
  ['workgroup', { redshiftTarget: { workgroupName: 'wg', database: 'dev' } }],
  ['workgroup + ARN', { redshiftTarget: { workgroupName: 'wg', database: 'dev', workgroupArn: WORKGROUP_ARN } }],
  ['workgroup + secret', { redshiftTarget: { workgroupName: 'wg', database: 'dev', secretArn: SECRET_ARN } }],
  ['legacy redshiftTargetProps', { redshiftTargetProps: { clusterIdentifier: 'analytics', dbName: 'dev', dbUser: 'tasker_user' } }],
  ['separate completer', { redshiftTarget: CLUSTER_TARGET, separateCompleter: true }],
  ['given key', { redshiftTarget: CLUSTER_TARGET, encryptionKey: KEY_ARN }],
  [
    'no callback infra',
    {
      redshiftTarget: CLUSTER_TARGET,
      createCallbackInfra: false,
      existingTableName: 'a-tracking',
      statementNamePrefix: 'sfnrs-a-',
      encryptionKey: KEY_ARN,
    },
  ],
])('IAM for %s', (_name, props) => {
  const result = synthTasker(props);

  test('no policy anywhere allows or denies the "*" action; kms:* only for the account root', () => {
    const docs = allPolicyDocuments(result);
    expect(docs.length).toBeGreaterThanOrEqual(2);
    for (const doc of docs) {
      for (const s of doc.Statement) {
        expect(s.Action).not.toContain('*');
        if (s.Action.includes('kms:*')) expect(s.Sid).toBe('AccountAdministersKey');
        if (s.Action.includes('sqs:*')) expect(s.Effect).toBe('Deny');
      }
    }
  });

  test('the role policy grants "*" resources only to the owner-conditioned statement reads', () => {
    const doc = parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy);
    for (const s of doc.Statement) {
      const resources = ([] as string[]).concat(s.Resource ?? []);
      expect(resources.length).toBeGreaterThan(0);
      if (resources.includes('*')) {
        expect(s.Sid).toBe('ReadOwnStatements');
        expect(s.Condition).toBeDefined();
      }
    }
  });
});

describe('target kinds', () => {
  const policyOf = (result: ReturnType<typeof synthTasker>) => parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy);

  test('cluster + dbUser: Data API on the cluster ARN, credentials for that user and database', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET });
    const { partition, region, account } = envExpressions(result);
    const base = `arn:${partition}:redshift:${region}:${account}`;
    const doc = policyOf(result);
    expect(statementBySid(doc, 'StartStatementsOnTarget').Resource).toBe(`${base}:cluster:analytics`);
    expect(statementBySid(doc, 'GetClusterCredentialsForDbUser')).toMatchObject({
      Action: ['redshift:GetClusterCredentials'],
      Resource: [`${base}:dbuser:analytics/tasker_user`, `${base}:dbname:analytics/dev`],
    });
    expect(statementBySid(doc, 'ReadOwnStatements').Condition).toEqual({
      StringEquals: { 'redshift-data:statement-owner-iam-userid': '$${aws:userid}' },
    });
  });

  test('legacy redshiftTargetProps synthesises the same stack as the equivalent redshiftTarget', () => {
    const legacy = synthTasker({ redshiftTargetProps: { clusterIdentifier: 'analytics', dbName: 'dev', dbUser: 'tasker_user' } });
    expect(legacy.raw).toBe(synthTasker({ redshiftTarget: CLUSTER_TARGET }).raw);
  });

  test('cluster + secret: the secret in env and policy, no db user', () => {
    const result = synthTasker({ redshiftTarget: { clusterIdentifier: 'analytics', database: 'dev', secretArn: SECRET_ARN } });
    const vars = onlyResource(result, 'aws_lambda_function').environment.variables;
    expect(vars[ENV.SECRET_ARN]).toBe(SECRET_ARN);
    expect(vars[ENV.DB_USER]).toBeUndefined();
    expect(vars[ENV.CLUSTER_IDENTIFIER]).toBe('analytics');
    const doc = policyOf(result);
    expect(statementBySid(doc, 'ReadDatabaseSecret')).toMatchObject({ Action: ['secretsmanager:GetSecretValue'], Resource: SECRET_ARN });
    expect(doc.Statement.flatMap((s) => s.Action)).not.toContain('redshift:GetClusterCredentials');
  });

  test("workgroup: workgroup name in env; Data API and GetCredentials on the account's workgroups", () => {
    const result = synthTasker({ redshiftTarget: { workgroupName: 'wg', database: 'dev' } });
    const vars = onlyResource(result, 'aws_lambda_function').environment.variables;
    expect(vars[ENV.WORKGROUP_NAME]).toBe('wg');
    expect(vars[ENV.CLUSTER_IDENTIFIER]).toBeUndefined();
    expect(vars[ENV.SECRET_ARN]).toBeUndefined();
    const { partition, region, account } = envExpressions(result);
    const anyWorkgroup = `arn:${partition}:redshift-serverless:${region}:${account}:workgroup/*`;
    const doc = policyOf(result);
    expect(statementBySid(doc, 'StartStatementsOnTarget').Resource).toBe(anyWorkgroup);
    expect(statementBySid(doc, 'GetWorkgroupCredentials')).toMatchObject({
      Action: ['redshift-serverless:GetCredentials'],
      Resource: anyWorkgroup,
    });
  });

  test('workgroup with its ARN: narrowed to it', () => {
    const doc = policyOf(synthTasker({ redshiftTarget: { workgroupName: 'wg', database: 'dev', workgroupArn: WORKGROUP_ARN } }));
    expect(statementBySid(doc, 'StartStatementsOnTarget').Resource).toBe(WORKGROUP_ARN);
    expect(statementBySid(doc, 'GetWorkgroupCredentials').Resource).toBe(WORKGROUP_ARN);
  });

  test('workgroup + secret: the secret instead of GetCredentials', () => {
    const result = synthTasker({ redshiftTarget: { workgroupName: 'wg', database: 'dev', secretArn: SECRET_ARN } });
    expect(onlyResource(result, 'aws_lambda_function').environment.variables[ENV.SECRET_ARN]).toBe(SECRET_ARN);
    const doc = policyOf(result);
    expect(statementBySid(doc, 'ReadDatabaseSecret').Resource).toBe(SECRET_ARN);
    expect(doc.Statement.flatMap((s) => s.Action)).not.toContain('redshift-serverless:GetCredentials');
  });
});

describe('options', () => {
  test('createCallbackInfra: false uses the given table, prefix and key and creates no callback path and no key', () => {
    const result = synthTasker({
      redshiftTarget: CLUSTER_TARGET,
      createCallbackInfra: false,
      existingTableName: 'first-tracking',
      statementNamePrefix: 'sfnrs-first-',
      encryptionKey: KEY_ARN,
    });
    expect(resourceCounts(result)).toEqual({
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_lambda_function: 1,
    });
    expect(statementBySid(parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy), 'UseEncryptionKey').Resource).toBe(KEY_ARN);
    expect(onlyResource(result, 'aws_lambda_function').kms_key_arn).toBe(KEY_ARN);
    const vars = onlyResource(result, 'aws_lambda_function').environment.variables;
    expect(vars[ENV.TABLE_NAME]).toBe('first-tracking');
    expect(vars[ENV.STATEMENT_NAME_PREFIX]).toBe('sfnrs-first-');
    const { partition, region, account } = envExpressions(result);
    const tableArn = `arn:${partition}:dynamodb:${region}:${account}:table/first-tracking`;
    const doc = parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy);
    expect(statementBySid(doc, 'TrackCalls').Resource).toBe(tableArn);
    expect(statementBySid(doc, 'QueryTrackingIndexes').Resource).toEqual([
      `${tableArn}/index/byExecution`,
      `${tableArn}/index/byRunning`,
      `${tableArn}/index/byPendingCallback`,
    ]);
    expect(doc.Statement.find((s) => s.Sid === 'ConsumeStatementEvents')).toBeUndefined();
    const { tasker } = result;
    expect([tasker.queue, tasker.deadLetterQueue, tasker.eventRule, tasker.sweepRule]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(tasker.statementNamePrefix).toBe('sfnrs-first-');
  });

  test('existingTableName with a callback path: no table, the callback path stays', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, existingTableName: 'shared-tracking' });
    expect(resourcesOf(result, 'aws_dynamodb_table')).toEqual({});
    expect(Object.keys(resourcesOf(result, 'aws_sqs_queue'))).toHaveLength(2);
    expect(onlyResource(result, 'aws_lambda_function').environment.variables[ENV.TABLE_NAME]).toBe('shared-tracking');
    expect(result.tasker.trackingTable.name).toBe('shared-tracking');
  });

  test('encryptionKey given: no key or alias; every encrypted resource uses it', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, encryptionKey: KEY_ARN });
    expect(resourcesOf(result, 'aws_kms_key')).toEqual({});
    expect(resourcesOf(result, 'aws_kms_alias')).toEqual({});
    expect(onlyResource(result, 'aws_lambda_function').kms_key_arn).toBe(KEY_ARN);
    expect(onlyResource(result, 'aws_cloudwatch_log_group').kms_key_id).toBe(KEY_ARN);
    expect(onlyResource(result, 'aws_dynamodb_table').server_side_encryption).toEqual({ enabled: true, kms_key_arn: KEY_ARN });
    for (const queue of Object.values(resourcesOf(result, 'aws_sqs_queue'))) expect(queue.kms_master_key_id).toBe(KEY_ARN);
    expect(statementBySid(parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy), 'UseEncryptionKey').Resource).toBe(KEY_ARN);
    expect(result.tasker.encryptionKey.arn).toBe(KEY_ARN);
  });

  test('separateCompleter: a second function with its own log group takes the queue and the sweep; one shared role', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, separateCompleter: true, reservedConcurrency: 4 });
    const functions = resourcesOf(result, 'aws_lambda_function');
    expect(
      Object.values(functions)
        .map((f) => f.function_name)
        .sort(),
    ).toEqual(['etl-completer', 'etl-tasker']);
    const completer = resourceWhere(result, 'aws_lambda_function', 'function_name', 'etl-completer');
    const starter = resourceWhere(result, 'aws_lambda_function', 'function_name', 'etl-tasker');
    expect(completer.role).toBe(starter.role);
    expect(completer.reserved_concurrent_executions).toBe(4);
    expect(completer.environment.variables[ENV.SERVICE_NAME]).toBe('etl-completer');
    expect(completer.environment.variables[ENV.ROLE_NAME]).toBe(starter.environment.variables[ENV.ROLE_NAME]);
    expect(
      Object.values(resourcesOf(result, 'aws_cloudwatch_log_group'))
        .map((g) => g.name)
        .sort(),
    ).toEqual(['/aws/lambda/etl-completer', '/aws/lambda/etl-tasker']);
    const completerRef = (attr: string) => refTo(result, 'aws_lambda_function', (f) => f.function_name === 'etl-completer', attr);
    expect(onlyResource(result, 'aws_lambda_event_source_mapping').function_name).toBe(completerRef('arn'));
    expect(onlyResource(result, 'aws_lambda_event_source_mapping').scaling_config).toEqual({ maximum_concurrency: 4 });
    expect(onlyResource(result, 'aws_lambda_permission').function_name).toBe(completerRef('function_name'));
    const sweepTarget = Object.values(resourcesOf(result, 'aws_cloudwatch_event_target')).find((t) => t.target_id === 'sweep');
    expect(sweepTarget?.arn).toBe(completerRef('arn'));
    const doc = parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy);
    expect(statementBySid(doc, 'ReadOwnStatements').Condition).toEqual({
      StringLike: { 'redshift-data:statement-owner-iam-userid': `${refTo(result, 'aws_iam_role', () => true, 'unique_id')}:*` },
    });
    expect(statementBySid(doc, 'WriteOwnLogs').Resource).toHaveLength(2);
    const keyDoc = parsePolicy(onlyResource(result, 'aws_kms_key').policy);
    expect(
      (statementBySid(keyDoc, 'LogsUseKeyForTaskerLogGroups').Condition!.ArnEquals['kms:EncryptionContext:aws:logs:arn'] as string[])
        .length,
    ).toBe(2);
    expect(result.tasker.completerFunction).not.toBe(result.tasker.lambdaFunction);
    expect(result.tasker.logGroups).toHaveLength(2);
  });

  test('deployDeadLetterQueue: false leaves one queue without redrive', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, deployDeadLetterQueue: false });
    const queue = onlyResource(result, 'aws_sqs_queue');
    expect(queue.name).toBe('etl-statement-events');
    expect(queue.redrive_policy).toBeUndefined();
    expect(Object.keys(resourcesOf(result, 'aws_sqs_queue_policy'))).toHaveLength(1);
    expect(result.tasker.deadLetterQueue).toBeUndefined();
  });

  test('sizes, schedule, names, log settings and state machines are passed through', () => {
    const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:nightly';
    const result = synthTasker({
      redshiftTarget: CLUSTER_TARGET,
      namePrefix: 'nightly_load',
      statementNamePrefix: 'load-',
      lambdaMemorySize: 512,
      lambdaTimeout: 120,
      reservedConcurrency: 2,
      batchSize: 50,
      maxReceiveCount: 4,
      logLevel: 'DEBUG',
      logRetentionDays: 7,
      abortedErrorName: 'ABORTED',
      sweepSchedule: 'rate(1 minute)',
      sweepGraceSeconds: 120,
      itemTtlSeconds: 3600,
      describeOnSuccess: true,
      stateMachineArns: [machine],
    });
    const fn = onlyResource(result, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'nightly_load-tasker', memory_size: 512, timeout: 120, reserved_concurrent_executions: 2 });
    expect(fn.tags).toBeUndefined();
    expect(fn.environment.variables).toMatchObject({
      [ENV.LOG_LEVEL]: 'DEBUG',
      [ENV.ABORTED_ERROR_NAME]: 'ABORTED',
      [ENV.STATEMENT_NAME_PREFIX]: 'load-',
      [ENV.SWEEP_GRACE_SECONDS]: '120',
      [ENV.ITEM_TTL_SECONDS]: '3600',
      [ENV.DESCRIBE_ON_SUCCESS]: 'true',
    });
    expect(onlyResource(result, 'aws_cloudwatch_log_group').retention_in_days).toBe(7);
    const queue = resourceWhere(result, 'aws_sqs_queue', 'name', 'nightly_load-statement-events');
    expect(queue.visibility_timeout_seconds).toBe(720);
    expect(JSON.parse(queue.redrive_policy).maxReceiveCount).toBe(4);
    expect(onlyResource(result, 'aws_lambda_event_source_mapping')).toMatchObject({
      batch_size: 50,
      maximum_batching_window_in_seconds: 1,
      scaling_config: { maximum_concurrency: 2 },
    });
    expect(resourceWhere(result, 'aws_cloudwatch_event_rule', 'name', 'nightly_load-sweep').schedule_expression).toBe('rate(1 minute)');
    const rule = resourceWhere(result, 'aws_cloudwatch_event_rule', 'name', 'nightly_load-statement-status');
    expect(JSON.parse(rule.event_pattern).detail.statementName).toEqual([{ prefix: 'load-' }]);
    expect(onlyResource(result, 'aws_kms_alias').name).toBe('alias/nightly_load');
    expect(onlyResource(result, 'aws_dynamodb_table').name).toBe('nightly_load-tracking');
    expect(onlyResource(result, 'aws_iam_role').name).toBe('nightly_load-tasker-role');
    const doc = parsePolicy(onlyResource(result, 'aws_iam_role_policy').policy);
    expect(statementBySid(doc, 'AnswerTaskTokens').Resource).toEqual([machine]);
  });

  test('tags reach every taggable resource', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, separateCompleter: true, tags: { team: 'data', env: 'test' } });
    const taggable = [
      'aws_cloudwatch_event_rule',
      'aws_cloudwatch_log_group',
      'aws_dynamodb_table',
      'aws_iam_role',
      'aws_kms_key',
      'aws_lambda_event_source_mapping',
      'aws_lambda_function',
      'aws_sqs_queue',
    ];
    for (const type of taggable) {
      for (const [id, resource] of Object.entries(resourcesOf(result, type))) {
        expect({ id, tags: resource.tags }).toEqual({ id, tags: { team: 'data', env: 'test' } });
      }
    }
  });

  test('createCallbackInfra: false without encryptionKey is refused with a named error, nothing added', () => {
    const stack = new TerraformStack(Testing.app(), 'nokey');
    const props = {
      redshiftTarget: CLUSTER_TARGET,
      createCallbackInfra: false,
      existingTableName: 'a-tracking',
      statementNamePrefix: 'sfnrs-a-',
    };
    expect(() => new SfnRedshiftTasker(stack, 'second', props)).toThrow(TaskerConfigurationError);
    expect(() => new SfnRedshiftTasker(stack, 'second', props)).toThrow(/needs encryptionKey/);
    expect(stack.node.children).toHaveLength(0);
  });
});

describe("callbackTasker: a second tasker reusing the first one's callback path, table and key", () => {
  const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:second-flow';
  const stack = new TerraformStack(Testing.app(), 'two');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const first = new SfnRedshiftTasker(stack, 'first', { redshiftTarget: CLUSTER_TARGET });
  const second = new SfnRedshiftTasker(stack, 'second', {
    redshiftTarget: { workgroupName: 'wg', database: 'dev' },
    callbackTasker: first,
    stateMachineArns: [machine],
  });
  const raw = Testing.synth(stack);
  const result: SynthResult = { stack, tasker: second, json: JSON.parse(raw), raw };
  const ref = (type: string, pick: (r: any) => boolean, attr: string) => refTo(result, type, pick, attr);
  const firstKeyArn = ref('aws_kms_key', () => true, 'arn');
  const roleRef = (name: string, attr: string) => ref('aws_iam_role', (r) => r.name === name, attr);

  test('the second creates no key, table, queue, rule or mapping: one of each in the stack, from the first', () => {
    const counts = resourceCounts(result);
    expect(counts).toMatchObject({
      aws_kms_key: 1,
      aws_dynamodb_table: 1,
      aws_sqs_queue: 2,
      aws_cloudwatch_event_rule: 2,
      aws_lambda_event_source_mapping: 1,
    });
    expect(counts.aws_lambda_function).toBe(2);
    expect([second.queue, second.deadLetterQueue, second.eventRule, second.sweepRule]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(second.config.createCallbackInfra).toBe(false);
  });

  test("takes the first's table (name and ARN references), statement prefix and key", () => {
    const fn = resourceWhere(result, 'aws_lambda_function', 'function_name', 'second-tasker');
    expect(fn.environment.variables[ENV.TABLE_NAME]).toBe(ref('aws_dynamodb_table', () => true, 'name'));
    expect(fn.environment.variables[ENV.STATEMENT_NAME_PREFIX]).toBe('sfnrs-first-');
    expect(fn.kms_key_arn).toBe(firstKeyArn);
    expect(resourceWhere(result, 'aws_cloudwatch_log_group', 'name', '/aws/lambda/second-tasker').kms_key_id).toBe(firstKeyArn);
    const doc = parsePolicy(resourceWhere(result, 'aws_iam_role_policy', 'name', 'second-tasker').policy);
    expect(statementBySid(doc, 'UseEncryptionKey').Resource).toBe(firstKeyArn);
    expect(statementBySid(doc, 'TrackCalls').Resource).toBe(ref('aws_dynamodb_table', () => true, 'arn'));
    expect(second.encryptionKey.arn).toBe(first.encryptionKey.arn);
  });

  test("the first's key lets CloudWatch Logs encrypt the second's log group too", () => {
    const doc = parsePolicy(onlyResource(result, 'aws_kms_key').policy);
    const arns = statementBySid(doc, 'LogsUseKeyForTaskerLogGroups').Condition?.ArnEquals['kms:EncryptionContext:aws:logs:arn'] as string[];
    expect(arns.map((arn) => arn.split(':log-group:')[1])).toEqual(['/aws/lambda/first-tasker', '/aws/lambda/second-tasker']);
  });

  test("the first's role may describe and read the second's statements and answer its state machines", () => {
    const extra = resourceWhere(result, 'aws_iam_role_policy', 'name', 'second-statements-completed-by-first');
    expect(extra.role).toBe(roleRef('first-tasker-role', 'id'));
    const doc = parsePolicy(extra.policy);
    expect(statementBySid(doc, 'ReadReusingTaskerStatements')).toMatchObject({
      // CancelStatement: the first tasker's sweep cancels the second's orphaned statements.
      Action: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement'],
      Condition: { StringLike: { 'redshift-data:statement-owner-iam-userid': `${roleRef('second-tasker-role', 'unique_id')}:*` } },
    });
    expect(statementBySid(doc, 'AnswerReusingTaskerTaskTokens').Resource).toEqual([machine]);
  });

  test('passes terraform validate: two taskers sharing a path, retry policy, target DLQ, mapping scaling config', () => {
    const app = Testing.app();
    const validated = new TerraformStack(app, 'shared');
    new AwsProvider(validated, 'aws', { region: 'eu-west-1' });
    const owner = new SfnRedshiftTasker(validated, 'owner', { redshiftTarget: CLUSTER_TARGET, reservedConcurrency: 3 });
    new SfnRedshiftTasker(validated, 'reuser', { redshiftTarget: CLUSTER_TARGET, callbackTasker: owner });
    expect(Testing.fullSynth(validated)).toBeValidTerraform();
  });

  test('contradicting props are refused with named errors and add nothing', () => {
    const other = new TerraformStack(Testing.app(), 'bad');
    const cases: [Record<string, unknown>, string][] = [
      [{ createCallbackInfra: true }, 'means createCallbackInfra: false'],
      [{ existingTableName: 'x-tracking' }, "existingTableName comes from callbackTasker 'first'"],
      [{ statementNamePrefix: 'x-' }, "statementNamePrefix comes from callbackTasker 'first'"],
      [{ encryptionKey: KEY_ARN }, "encryptionKey comes from callbackTasker 'first'"],
      [{ callbackTasker: second }, "callbackTasker 'second' has no callback path of its own"],
    ];
    for (const [extra, message] of cases) {
      const props = { redshiftTarget: CLUSTER_TARGET, callbackTasker: first, ...extra };
      expect(() => new SfnRedshiftTasker(other, 'third', props)).toThrow(message);
    }
    expect(other.node.children).toHaveLength(0);
  });
});

describe('SfnRedshiftTasker with props from Terraform variables', () => {
  const stack = new TerraformStack(Testing.app(), 'refs');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const variable = (name: string, type: string) => new TerraformVariable(stack, name, { type });
  const tasker = new SfnRedshiftTasker(stack, 'etl', {
    redshiftTarget: CLUSTER_TARGET,
    namePrefix: variable('name_prefix', 'string').stringValue,
    lambdaTimeout: variable('lambda_timeout', 'number').numberValue,
    maxReceiveCount: variable('max_receive_count', 'number').numberValue,
    batchSize: variable('batch_size', 'number').numberValue,
    reservedConcurrency: variable('reserved_concurrency', 'number').numberValue,
    logLevel: variable('log_level', 'string').stringValue as TaskerLogLevel,
    abortedErrorName: variable('aborted_error_name', 'string').stringValue as 'FAILED',
    itemTtlSeconds: variable('item_ttl_seconds', 'number').numberValue,
    sweepGraceSeconds: variable('sweep_grace_seconds', 'number').numberValue,
    stateMachineArns: variable('state_machine_arns', 'list(string)').listValue,
  });
  const raw = Testing.synth(stack);
  const result: SynthResult = { stack, tasker, json: JSON.parse(raw), raw };

  test('derives every name from the prefix variable', () => {
    expect(onlyResource(result, 'aws_lambda_function').function_name).toBe('${var.name_prefix}-tasker');
    expect(onlyResource(result, 'aws_iam_role').name).toBe('${var.name_prefix}-tasker-role');
    expect(onlyResource(result, 'aws_dynamodb_table').name).toBe('${var.name_prefix}-tracking');
    expect(onlyResource(result, 'aws_kms_alias').name).toBe('alias/${var.name_prefix}');
    expect(onlyResource(result, 'aws_cloudwatch_log_group').name).toBe('/aws/lambda/${var.name_prefix}-tasker');
    const rule = resourceWhere(result, 'aws_cloudwatch_event_rule', 'name', '${var.name_prefix}-statement-status');
    expect(JSON.parse(rule.event_pattern).detail.statementName).toEqual([{ prefix: 'sfnrs-${var.name_prefix}-' }]);
  });

  test('computes the queue settings in Terraform: visibility timeout and a jsonencode redrive policy', () => {
    const queue = resourceWhere(result, 'aws_sqs_queue', 'name', '${var.name_prefix}-statement-events');
    expect(queue.visibility_timeout_seconds).toBe('${(6 * var.lambda_timeout)}');
    const dlqArn = refTo(result, 'aws_sqs_queue', (q) => q.name === '${var.name_prefix}-statement-events-dlq', 'arn').slice(2, -1);
    expect(queue.redrive_policy).toBe(`\${jsonencode({"deadLetterTargetArn" = ${dlqArn}, "maxReceiveCount" = var.max_receive_count})}`);
  });

  test('passes the batch size and decides the batching window in Terraform', () => {
    expect(onlyResource(result, 'aws_lambda_event_source_mapping')).toMatchObject({
      batch_size: '${var.batch_size}',
      maximum_batching_window_in_seconds: '${(var.batch_size > 10) ? 1 : null}',
    });
  });

  test('writes scaling_config only when reserved_concurrency is set (a dynamic block), never a block holding null', () => {
    const mapping = onlyResource(result, 'aws_lambda_event_source_mapping');
    expect(mapping.scaling_config).toBeUndefined();
    expect(mapping.dynamic.scaling_config).toEqual({
      for_each: '${(var.reserved_concurrency != null) ? [true] : []}',
      content: { maximum_concurrency: '${max(2, coalesce(var.reserved_concurrency, 2))}' },
    });
  });

  test('writes the environment from the variables, numbers through tostring()', () => {
    const fn = onlyResource(result, 'aws_lambda_function');
    expect(fn.timeout).toBe('${var.lambda_timeout}');
    expect(fn.environment.variables).toMatchObject({
      [ENV.LOG_LEVEL]: '${var.log_level}',
      [ENV.ABORTED_ERROR_NAME]: '${var.aborted_error_name}',
      [ENV.ITEM_TTL_SECONDS]: '${tostring(var.item_ttl_seconds)}',
      [ENV.SWEEP_GRACE_SECONDS]: '${tostring(var.sweep_grace_seconds)}',
      [ENV.STATEMENT_NAME_PREFIX]: 'sfnrs-${var.name_prefix}-',
      [ENV.SERVICE_NAME]: '${var.name_prefix}-tasker',
      [ENV.DESCRIBE_ON_SUCCESS]: 'false',
    });
  });

  test('builds the role policy with jsonencode around the state machine list, the IAM variable escaped once', () => {
    const policy = onlyResource(result, 'aws_iam_role_policy').policy as string;
    expect(policy).toMatch(/^\$\{jsonencode\(\{"Version" = "2012-10-17", "Statement" = \[/);
    expect(policy).toContain(
      '"Sid" = "AnswerTaskTokens", "Effect" = "Allow", "Action" = ["states:SendTaskSuccess", "states:SendTaskFailure", ' +
        '"states:SendTaskHeartbeat"], "Resource" = var.state_machine_arns}',
    );
    expect(policy).toContain('"redshift-data:statement-owner-iam-userid" = "$${aws:userid}"');
    // Documents without number or list references stay literal JSON.
    expect(parsePolicy(onlyResource(result, 'aws_kms_key').policy).Statement).toHaveLength(3);
    expect(onlyResource(result, 'aws_lambda_function').reserved_concurrent_executions).toBe('${var.reserved_concurrency}');
    expect(raw).not.toMatch(/TfToken|e\+\d{3}|#\{|&\{/);
  });
});
