/**
 * The Terraform module's input variables: name, type, description, default and the checks Terraform
 * runs on them (`validation` blocks), in one table. The module stack turns each entry into a
 * `TerraformVariable`. Inside the module the construct only sees references it cannot check, so Terraform
 * must: settings take their default and range from the shared `SETTINGS` table and the target's inputs
 * their rules from `TARGET_RULES` (input-rules.ts), the tables the construct's own checks read.
 *
 * Conditions are written so they hold for `null` without relying on `||` short-circuiting
 * (`can(...)` / `try(...)` around anything that would fail on null).
 */
import { SETTINGS, STATEMENT_NAME_PREFIX_BASE, STATEMENT_NAME_PREFIX_RULE } from '../functions/shared/settings';
import { settingInput, targetValidation } from './input-rules';
import { OPERATIONS_MODULE_INPUTS } from './operations-inputs';
import { SQL_RESOURCES_MODULE_INPUT } from './sql-resources-input';
import { NAME_PREFIX_MAX } from '../modules/name-prefix';
import type { InputValidation, ModuleInput } from './module-input';

/** `name` is null or matches `pattern` (an RE2 regular expression). */
function nullOrMatches(name: string, pattern: string, what: string): InputValidation {
  return {
    condition: `var.${name} == null || can(regex(${JSON.stringify(pattern)}, var.${name}))`,
    errorMessage: `${name} must be ${what}.`,
  };
}

const ARN_PREFIX = '^arn:[a-z-]+:';
const REGION_ACCOUNT = ':[a-z0-9-]+:[0-9]{12}:';

/** Every input of the module, in the order they appear in its README. */
export const MODULE_INPUTS: readonly ModuleInput[] = [
  // --- The Redshift target -------------------------------------------------------------------
  {
    name: 'cluster_identifier',
    type: 'string',
    description:
      'Identifier of the provisioned Redshift cluster the statements run on. Give exactly one of cluster_identifier and workgroup_name.',
    default: null,
    validation: [
      ...targetValidation('clusterIdentifier'),
      nullOrMatches(
        'cluster_identifier',
        '^[a-z][a-z0-9-]{0,62}$',
        'a cluster identifier: lower-case letters, digits and hyphens, starting with a letter',
      ),
    ],
  },
  {
    name: 'workgroup_name',
    type: 'string',
    description:
      'Name of the Redshift Serverless workgroup the statements run on. Give exactly one of cluster_identifier and workgroup_name.',
    default: null,
    validation: [nullOrMatches('workgroup_name', '^[a-z0-9-]{3,64}$', 'a workgroup name: 3 to 64 lower-case letters, digits and hyphens')],
  },
  {
    name: 'workgroup_arn',
    type: 'string',
    description:
      "ARN of the workgroup (it holds the workgroup id, not its name), to scope the function's Data API and GetCredentials permissions " +
      'to that one workgroup. Workgroup targets only; null allows every workgroup in the account and region.',
    default: null,
    validation: [
      ...targetValidation('workgroupArn'),
      nullOrMatches(
        'workgroup_arn',
        `${ARN_PREFIX}redshift-serverless${REGION_ACCOUNT}workgroup/.+$`,
        'the ARN of a Redshift Serverless workgroup',
      ),
    ],
  },
  {
    name: 'database',
    type: 'string',
    description: 'Database the statements run in.',
    validation: [{ condition: 'length(trimspace(var.database)) > 0', errorMessage: 'database must not be empty.' }],
  },
  {
    name: 'db_user',
    type: 'string',
    description:
      'Database user the function gets temporary credentials for (redshift:GetClusterCredentials). Cluster targets only; a cluster ' +
      'needs exactly one of db_user and secret_arn.',
    default: null,
    validation: [...targetValidation('dbUser'), nullOrMatches('db_user', '^\\S+$', 'a non-empty database user name without spaces')],
  },
  {
    name: 'secret_arn',
    type: 'string',
    description:
      'ARN of a Secrets Manager secret with the database credentials, instead of db_user (cluster) or the IAM identity (workgroup).',
    default: null,
    validation: [
      nullOrMatches('secret_arn', `${ARN_PREFIX}secretsmanager${REGION_ACCOUNT}secret:.+$`, 'the ARN of a Secrets Manager secret'),
    ],
  },

  // --- Names ----------------------------------------------------------------------------------
  {
    name: 'name_prefix',
    type: 'string',
    description:
      `Prefix of every resource name (function, role, table, queues, rules, key alias, log groups); unique per tasker in an ` +
      `account and region. 1 to ${NAME_PREFIX_MAX} letters, digits, '-' or '_', starting with a letter, not with 'aws'.`,
    validation: [
      {
        condition: `can(regex("^[A-Za-z][A-Za-z0-9_-]{0,${NAME_PREFIX_MAX - 1}}$", var.name_prefix))`,
        errorMessage: `name_prefix must be 1 to ${NAME_PREFIX_MAX} letters, digits, '-' or '_', starting with a letter.`,
      },
      {
        condition: '!startswith(lower(var.name_prefix), "aws")',
        errorMessage: "name_prefix must not start with 'aws' (reserved for the KMS aliases of AWS services).",
      },
    ],
  },
  {
    name: 'statement_name_prefix',
    type: 'string',
    description:
      `Prefix of the Data API statement names this tasker starts; its event rule matches only these. null gives ` +
      `"${STATEMENT_NAME_PREFIX_BASE}<name_prefix>-". Rules match by prefix: a tasker whose prefix begins another's ` +
      `(name_prefix "etl" and "etl-nightly") also receives the other's status events, each a wasted message and invocation.`,
    default: null,
    validation: [nullOrMatches('statement_name_prefix', STATEMENT_NAME_PREFIX_RULE.pattern, STATEMENT_NAME_PREFIX_RULE.describe)],
  },

  // --- Encryption -----------------------------------------------------------------------------
  {
    name: 'encryption_key_arn',
    type: 'string',
    description:
      'ARN of an existing KMS key for the table, queues, log groups and environment variables; its key policy must let those services ' +
      'use it. null creates a key with rotation on.',
    default: null,
    validation: [
      nullOrMatches(
        'encryption_key_arn',
        `${ARN_PREFIX}kms${REGION_ACCOUNT}key/.+$`,
        'the ARN of a KMS key (arn:...:kms:<region>:<account>:key/<id>)',
      ),
    ],
  },

  // --- Completion events ----------------------------------------------------------------------
  settingInput('maxReceiveCount', 'Receives of one completion event before it moves to the dead-letter queue.'),
  settingInput('batchSize', 'Completion events per function invocation (event source mapping batch size).'),
  settingInput(
    'sweepSchedule',
    'How often the sweep looks for statements whose completion event was lost (an EventBridge schedule expression).',
  ),
  settingInput('sweepGraceSeconds', 'Seconds a statement may run without a completion event before the sweep asks the Data API about it.'),
  settingInput(
    'fastPathSeconds',
    'Seconds the start waits for the statement (Data API WaitTimeSeconds, 0 to 30) and completes a short one itself; 0 turns the fast ' +
      'path off. Keep it below lambda_timeout.',
  ),
  settingInput('itemTtlSeconds', 'Seconds a finished tracking item is kept before its TTL expires it.'),
  settingInput(
    'callbackMaxAgeSeconds',
    'Seconds after its statement started that the sweep stops retrying a task callback Step Functions has not answered (recorded as ' +
      'MAX_AGE_REACHED, logged and counted). Default: one year, the longest a Standard workflow task can live.',
  ),
  settingInput(
    'abortedErrorName',
    "Error name sent to Step Functions when a statement is ABORTED. FAILED keeps the original library's behaviour, which existing Catch " +
      'blocks rely on.',
  ),
  settingInput(
    'describeOnSuccess',
    'Call DescribeStatement before each success callback, adding hasResultSet, the exact duration and the result row count to the ' +
      'callback output (one more AWS call per statement).',
  ),
  // --- Functions ------------------------------------------------------------------------------
  settingInput('logLevel', `Log level of the handler: ${SETTINGS.logLevel.values.join(', ')}.`),
  settingInput('logRetentionDays', "Retention of the functions' log groups, in days (a value CloudWatch Logs accepts)."),
  settingInput('lambdaMemorySize', 'Memory of the function(s), in MB.'),
  settingInput('lambdaTimeout', "Timeout of the function(s), in seconds. The queue's visibility timeout is six times this."),
  settingInput('reservedConcurrency', 'Reserved concurrency of the function(s). null leaves them unreserved.'),
  {
    name: 'tags',
    type: 'map(string)',
    description: 'Tags added to every taggable resource.',
    default: {},
  },

  // --- Callbacks and SQL resources ------------------------------------------------------------
  {
    name: 'state_machine_arns',
    type: 'list(string)',
    description:
      'ARNs of the state machines the function may send task callbacks to (states:SendTaskSuccess, SendTaskFailure). null allows every ' +
      'state machine in the account and region.',
    default: null,
    validation: [
      {
        condition:
          `var.state_machine_arns == null || try(length(var.state_machine_arns) > 0 && alltrue([for arn in ` +
          `var.state_machine_arns : can(regex("${ARN_PREFIX}states${REGION_ACCOUNT}stateMachine:.+$", arn))]), false)`,
        errorMessage:
          'state_machine_arns must be null (every state machine in the account and region) or a non-empty list of state machine ARNs ' +
          '(arn:...:states:<region>:<account>:stateMachine:<name>).',
      },
    ],
  },
  SQL_RESOURCES_MODULE_INPUT,

  // --- Operating it: heartbeats, orphans, metrics, alarms, platform knobs ----------------------
  ...OPERATIONS_MODULE_INPUTS,
];
