/**
 * The module's outputs: one per public property of `SfnRedshiftTasker`, with its description.
 * Read from the construct the module holds.
 */
import type { SfnRedshiftTasker } from '../modules/sfn-redshift-tasker';

export interface ModuleOutput {
  readonly name: string;
  readonly description: string;
  /** The value, read from the construct. */
  readonly valueOf: (tasker: SfnRedshiftTasker) => unknown;
}

/** Thrown when the construct lacks a resource an output needs (the module always creates the callback path). */
export class MissingTaskerResourceError extends Error {
  constructor(property: string) {
    super(`SfnRedshiftTasker.${property} is undefined; the Terraform module builds the tasker with its callback path, so it must exist`);
    this.name = 'MissingTaskerResourceError';
  }
}

function required<T>(value: T | undefined, property: string): T {
  if (value === undefined) throw new MissingTaskerResourceError(property);
  return value;
}

export const MODULE_OUTPUTS: readonly ModuleOutput[] = [
  {
    name: 'function_arn',
    description:
      'ARN of the tasker function: the FunctionName of the Step Functions task (arn:aws:states:::lambda:invoke.waitForTaskToken).',
    valueOf: (t) => t.lambdaFunction.arn,
  },
  { name: 'function_name', description: 'Name of the tasker function.', valueOf: (t) => t.lambdaFunction.functionName },
  {
    name: 'completer_function_arn',
    description: 'ARN of the function that handles completion events and the sweep (the tasker function itself in this module).',
    valueOf: (t) => t.completerFunction.arn,
  },
  {
    name: 'completer_function_name',
    description: 'Name of the function that handles completion events and the sweep.',
    valueOf: (t) => t.completerFunction.functionName,
  },
  { name: 'role_arn', description: 'ARN of the IAM role the function(s) run with.', valueOf: (t) => t.role.arn },
  { name: 'role_name', description: 'Name of the IAM role the function(s) run with.', valueOf: (t) => t.role.name },
  { name: 'table_name', description: 'Name of the DynamoDB table that tracks calls.', valueOf: (t) => t.trackingTable.name },
  { name: 'table_arn', description: 'ARN of the DynamoDB table that tracks calls.', valueOf: (t) => t.trackingTable.arn },
  {
    name: 'queue_arn',
    description: 'ARN of the SQS queue of statement completion events.',
    valueOf: (t) => required(t.queue, 'queue').arn,
  },
  {
    name: 'queue_url',
    description: 'URL of the SQS queue of statement completion events.',
    valueOf: (t) => required(t.queue, 'queue').url,
  },
  {
    name: 'dead_letter_queue_arn',
    description: 'ARN of the dead-letter queue behind the completion-event queue.',
    valueOf: (t) => required(t.deadLetterQueue, 'deadLetterQueue').arn,
  },
  {
    name: 'dead_letter_queue_url',
    description: 'URL of the dead-letter queue behind the completion-event queue.',
    valueOf: (t) => required(t.deadLetterQueue, 'deadLetterQueue').url,
  },
  {
    name: 'encryption_key_arn',
    description: 'ARN of the KMS key that encrypts the table, queues, log groups and environment variables (created, or the one given).',
    valueOf: (t) => t.encryptionKey.arn,
  },
  {
    name: 'event_rule_name',
    description: "Name of the EventBridge rule that routes this tasker's statement status changes to the queue.",
    valueOf: (t) => required(t.eventRule, 'eventRule').name,
  },
  {
    name: 'event_rule_arn',
    description: "ARN of the EventBridge rule that routes this tasker's statement status changes to the queue.",
    valueOf: (t) => required(t.eventRule, 'eventRule').arn,
  },
  {
    name: 'sweep_rule_name',
    description: 'Name of the EventBridge schedule that runs the sweep for lost completion events.',
    valueOf: (t) => required(t.sweepRule, 'sweepRule').name,
  },
  {
    name: 'log_group_names',
    description: "Names of the functions' CloudWatch log groups.",
    valueOf: (t) => t.logGroups.map((group) => group.name),
  },
  {
    name: 'statement_name_prefix',
    description: 'Prefix of the Data API statement names this tasker starts (its event rule matches only these).',
    valueOf: (t) => t.statementNamePrefix,
  },
];
