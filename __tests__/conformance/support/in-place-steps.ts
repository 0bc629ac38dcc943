/**
 * Scenario (b): the rows of terraform-module/README.md "What a change of input does" that say "in place",
 * each as one input change the suite applies for real, with the changes the plan must show: the resource
 * actions and the `type.attribute` list (emulator gaps aside). Steps run in order, each from the last.
 */
export interface InPlaceStep {
  /** The README row, as its first cell reads. */
  readonly readmeRow: string;
  /** The next inputs, from the current ones and the root's outputs (`callers_key_arn`). */
  inputs(current: Record<string, unknown>, outputs: Record<string, any>): Record<string, unknown>;
  /** `type action` per changed resource (`aws_kms_key delete`), sorted. */
  readonly expectedActions: readonly string[];
  /** `type.attribute` per changed attribute, sorted. */
  readonly expectedChanges: readonly string[];
  /**
   * On the emulator: `apply` (the default), `plan` only (KEY_SWITCH_GAP: the plan is checked, nothing is
   * applied) or `skip` (the row needs the state a plan-only row would have left).
   */
  readonly onEmulator?: 'apply' | 'plan' | 'skip';
}

const without = (inputs: Record<string, unknown>, ...names: string[]) =>
  Object.fromEntries(Object.entries(inputs).filter(([name]) => !names.includes(name)));

/** What a key switch updates in place: everything the key encrypts, and the role policy that names it. */
const KEY_SWITCH_UPDATES = [
  'aws_cloudwatch_log_group update',
  'aws_dynamodb_table update',
  'aws_iam_role_policy update',
  'aws_sqs_queue update',
  'aws_sqs_queue update',
];
const KEY_SWITCH_CHANGES = [
  'aws_cloudwatch_log_group.kms_key_id',
  'aws_dynamodb_table.server_side_encryption',
  'aws_iam_role_policy.policy',
  'aws_sqs_queue.kms_master_key_id',
];

export const IN_PLACE_STEPS: readonly InPlaceStep[] = [
  {
    // One apply for the row: cluster + db_user becomes workgroup + secret, in another database.
    readmeRow: '`db_user` ↔ `secret_arn`, `cluster_identifier` ↔ `workgroup_name`, `workgroup_arn`, `database`',
    inputs: (current) => ({
      ...without(current, 'cluster_identifier', 'db_user'),
      workgroup_name: 'analytics-wg',
      workgroup_arn: 'arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
      secret_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:conformance-redshift-AbCdEf',
      database: 'warehouse',
    }),
    // README: "in place: the function's environment and the role policy".
    expectedActions: ['aws_iam_role_policy update', 'aws_lambda_function update'],
    expectedChanges: ['aws_iam_role_policy.policy', 'aws_lambda_function.environment'],
  },
  {
    readmeRow: '`encryption_key_arn` given (was null)',
    inputs: (current, outputs) => ({ ...current, encryption_key_arn: outputs.callers_key_arn }),
    // The function's kms_key_arn changes too, unseen on the emulator: moto never returns it (an emulator gap).
    onEmulator: 'plan',
    expectedActions: [...KEY_SWITCH_UPDATES, 'aws_kms_alias delete', 'aws_kms_key delete'].sort(),
    expectedChanges: KEY_SWITCH_CHANGES,
  },
  {
    readmeRow: '`encryption_key_arn` removed (was set)',
    inputs: (current) => without(current, 'encryption_key_arn'),
    onEmulator: 'skip',
    expectedActions: [...KEY_SWITCH_UPDATES, 'aws_kms_alias create', 'aws_kms_key create'].sort(),
    expectedChanges: KEY_SWITCH_CHANGES,
  },
  {
    readmeRow:
      '`log_level`, `lambda_*`, `reserved_concurrency`, `batch_size`, `max_receive_count`, `sweep_*`, `item_ttl_seconds`, ' +
      '`aborted_error_name`, `log_retention_days`, `state_machine_arns`, `tags`, `statement_name_prefix`',
    inputs: (current) => ({
      ...current,
      log_level: 'DEBUG',
      lambda_memory_size: 512,
      lambda_timeout: 90,
      reserved_concurrency: 4,
      batch_size: 20,
      max_receive_count: 5,
      sweep_schedule: 'rate(10 minutes)',
      sweep_grace_seconds: 600,
      item_ttl_seconds: 3600,
      aborted_error_name: 'ABORTED',
      log_retention_days: 14,
      state_machine_arns: ['arn:aws:states:us-east-1:123456789012:stateMachine:conformance'],
      tags: { team: 'data-platform' },
      statement_name_prefix: 'conformance-etl-',
    }),
    // Tags reach every taggable resource; the rest each reach the one resource they configure.
    expectedActions: [
      'aws_cloudwatch_event_rule update',
      'aws_cloudwatch_event_rule update',
      'aws_cloudwatch_log_group update',
      'aws_dynamodb_table update',
      'aws_iam_role update',
      'aws_iam_role_policy update',
      'aws_kms_key update',
      'aws_lambda_event_source_mapping update',
      'aws_lambda_function update',
      'aws_sqs_queue update',
      'aws_sqs_queue update',
    ],
    expectedChanges: [
      'aws_cloudwatch_event_rule.description',
      'aws_cloudwatch_event_rule.event_pattern',
      'aws_cloudwatch_event_rule.schedule_expression',
      'aws_cloudwatch_event_rule.tags',
      'aws_cloudwatch_event_rule.tags_all',
      'aws_cloudwatch_log_group.retention_in_days',
      'aws_cloudwatch_log_group.tags',
      'aws_cloudwatch_log_group.tags_all',
      'aws_dynamodb_table.tags',
      'aws_dynamodb_table.tags_all',
      'aws_iam_role.tags',
      'aws_iam_role.tags_all',
      'aws_iam_role_policy.policy',
      'aws_kms_key.tags',
      'aws_kms_key.tags_all',
      'aws_lambda_event_source_mapping.batch_size',
      'aws_lambda_event_source_mapping.maximum_batching_window_in_seconds',
      'aws_lambda_event_source_mapping.scaling_config',
      'aws_lambda_event_source_mapping.tags',
      'aws_lambda_event_source_mapping.tags_all',
      'aws_lambda_function.environment',
      'aws_lambda_function.memory_size',
      'aws_lambda_function.reserved_concurrent_executions',
      'aws_lambda_function.tags',
      'aws_lambda_function.tags_all',
      'aws_lambda_function.timeout',
      'aws_sqs_queue.tags',
      'aws_sqs_queue.tags_all',
      'aws_sqs_queue.visibility_timeout_seconds',
    ],
  },
];

export const NAME_PREFIX_REPLACES: readonly string[] = [
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_log_group',
  'aws_dynamodb_table',
  'aws_iam_role',
  'aws_kms_alias',
  'aws_lambda_function',
  'aws_sqs_queue',
  'aws_sqs_queue',
];
