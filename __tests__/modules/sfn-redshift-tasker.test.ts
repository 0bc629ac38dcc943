import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { ENV, STATUS_EVENT, TABLE } from '../../functions/shared/contract';
import { SfnRedshiftTasker, TASKER_RUNTIME } from '../../modules/sfn-redshift-tasker';
import { TaskerConfigurationError } from '../../modules/private/validate-props';
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
    expect(TASKER_RUNTIME).toEqual({ handler: 'index.handler', runtime: 'nodejs22.x', nodeOptions: '--enable-source-maps' });
  });

  test('the function gets the contract environment variables', () => {
    expect(onlyResource(result, 'aws_lambda_function').environment.variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      [ENV.TABLE_NAME]: tableRef('name'),
      [ENV.CLUSTER_IDENTIFIER]: 'analytics',
      [ENV.DATABASE]: 'dev',
      [ENV.DB_USER]: 'tasker_user',
      [ENV.STATEMENT_NAME_PREFIX]: 'sfnrs-etl-',
      [ENV.ABORTED_ERROR_NAME]: 'FAILED',
      [ENV.ITEM_TTL_SECONDS]: '86400',
      [ENV.SWEEP_GRACE_SECONDS]: '300',
      [ENV.LOG_LEVEL]: 'INFO',
      [ENV.SERVICE_NAME]: 'etl-tasker',
    });
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
      ]),
    );
    expect(table.attribute).toHaveLength(4);
    expect(table.global_secondary_index).toEqual([
      { name: 'byExecution', hash_key: 'executionArn', range_key: 'startedAt', projection_type: 'ALL' },
      { name: 'byRunning', hash_key: 'runningPartition', range_key: 'startedAt', projection_type: 'ALL' },
    ]);
  });

  test('status rule matches only terminal status changes of this tasker\'s statements and targets the queue', () => {
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
    expect(dlq).toEqual({ name: 'etl-statement-events-dlq', kms_master_key_id: keyRef, message_retention_seconds: 1_209_600, tags: { team: 'data' } });
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
      Condition: { ArnEquals: { 'aws:SourceArn': refTo(result, 'aws_cloudwatch_event_rule', (r) => r.name === 'etl-statement-status', 'arn') } },
    });
    expect(statementBySid(doc, 'DenyInsecureTransport')).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Resource: queueRef('arn'),
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(doc.Statement).toHaveLength(2);
    const dlqDoc = parsePolicy(resourceWhere(result, 'aws_sqs_queue_policy', 'queue_url', dlqRef('url')).policy);
    expect(dlqDoc.Statement).toEqual([expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Resource: dlqRef('arn') })]);
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
    const { account } = envExpressions(result);
    expect(result.raw).toContain(account.replace(/"/g, '\\"'));
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
