/**
 * The Terraform module's input variables: name, type, description, default and the checks Terraform
 * runs on them (`validation` blocks), in one table. The module stack turns each entry into a
 * `TerraformVariable`; the checks mirror the construct's synth-time checks (`private/validate-props.ts`),
 * because inside the module the construct only sees references it cannot check.
 *
 * Conditions are written so they hold for `null` without relying on `||` short-circuiting
 * (`can(...)` / `try(...)` around anything that would fail on null).
 */
import { DEFAULTS, LIMITS } from '../../functions/shared/contract';
import { OPERATIONS_MODULE_INPUTS } from './operations-inputs';
import { SQL_RESOURCES_MODULE_INPUT } from './sql-resources-input';
import { LOG_LEVELS, LOG_RETENTION_DAYS, NAME_PREFIX_MAX, TASKER_DEFAULTS } from '../private/validate-props';
import type { InputValidation, ModuleInput } from './module-input';

/** `name` is an integer from `min` to `max`. */
function wholeNumberIn(name: string, min: number, max: number): InputValidation {
  return {
    condition: `try(var.${name} >= ${min} && var.${name} <= ${max} && floor(var.${name}) == var.${name}, false)`,
    errorMessage: `${name} must be a whole number from ${min} to ${max}.`,
  };
}

/** `name` is null or matches `pattern` (an RE2 regular expression). */
function nullOrMatches(name: string, pattern: string, what: string): InputValidation {
  return {
    condition: `var.${name} == null || can(regex(${JSON.stringify(pattern)}, var.${name}))`,
    errorMessage: `${name} must be ${what}.`,
  };
}

const hclList = (values: readonly (string | number)[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

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
      {
        condition: '(var.cluster_identifier == null) != (var.workgroup_name == null)',
        errorMessage:
          'Give exactly one of cluster_identifier (a provisioned cluster) and workgroup_name (a Redshift Serverless workgroup).',
      },
      nullOrMatches('cluster_identifier', '^[a-z][a-z0-9-]{0,62}$', 'a cluster identifier: lower-case letters, digits and hyphens, starting with a letter'),
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
      'ARN of the workgroup (it holds the workgroup id, not its name), to scope the function\'s Data API and GetCredentials permissions to that one workgroup. Workgroup targets only; null allows every workgroup in the account and region.',
    default: null,
    validation: [
      nullOrMatches('workgroup_arn', `${ARN_PREFIX}redshift-serverless${REGION_ACCOUNT}workgroup/.+$`, 'the ARN of a Redshift Serverless workgroup'),
      {
        condition: 'var.workgroup_arn == null || var.workgroup_name != null',
        errorMessage: 'workgroup_arn is for workgroup targets only: set workgroup_name too, or remove workgroup_arn.',
      },
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
      'Database user the function gets temporary credentials for (redshift:GetClusterCredentials). Cluster targets only; a cluster needs exactly one of db_user and secret_arn.',
    default: null,
    validation: [
      {
        condition: 'var.cluster_identifier == null || ((var.db_user == null) != (var.secret_arn == null))',
        errorMessage: 'A cluster target needs exactly one of db_user (temporary credentials) and secret_arn.',
      },
      {
        condition: 'var.workgroup_name == null || var.db_user == null',
        errorMessage:
          "A workgroup target takes no db_user: it uses the function's IAM identity (redshift-serverless:GetCredentials) or secret_arn.",
      },
      nullOrMatches('db_user', '^\\S+$', 'a non-empty database user name without spaces'),
    ],
  },
  {
    name: 'secret_arn',
    type: 'string',
    description:
      'ARN of a Secrets Manager secret with the database credentials, instead of db_user (cluster) or the IAM identity (workgroup).',
    default: null,
    validation: [nullOrMatches('secret_arn', `${ARN_PREFIX}secretsmanager${REGION_ACCOUNT}secret:.+$`, 'the ARN of a Secrets Manager secret')],
  },

  // --- Names ----------------------------------------------------------------------------------
  {
    name: 'name_prefix',
    type: 'string',
    description: `Prefix of every resource name (function, role, table, queues, rules, key alias, log groups); unique per tasker in an account and region. 1 to ${NAME_PREFIX_MAX} letters, digits, '-' or '_', starting with a letter, not with 'aws'.`,
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
    description: `Prefix of the Data API statement names this tasker starts; its event rule matches only these. null gives "${DEFAULTS.STATEMENT_NAME_PREFIX}<name_prefix>-".`,
    default: null,
    validation: [
      nullOrMatches('statement_name_prefix', '^[A-Za-z0-9_.:#-]{1,100}$', "1 to 100 letters, digits or '-', '_', '.', ':', '#'"),
    ],
  },

  // --- Encryption -----------------------------------------------------------------------------
  {
    name: 'encryption_key_arn',
    type: 'string',
    description:
      'ARN of an existing KMS key for the table, queues, log groups and environment variables; its key policy must let those services use it. null creates a key with rotation on.',
    default: null,
    validation: [nullOrMatches('encryption_key_arn', `${ARN_PREFIX}kms${REGION_ACCOUNT}key/.+$`, 'the ARN of a KMS key (arn:...:kms:<region>:<account>:key/<id>)')],
  },

  // --- Completion events ----------------------------------------------------------------------
  {
    name: 'max_receive_count',
    type: 'number',
    description: 'Receives of one completion event before it moves to the dead-letter queue.',
    default: DEFAULTS.MAX_RECEIVE_COUNT,
    validation: [wholeNumberIn('max_receive_count', 1, 1000)],
  },
  {
    name: 'batch_size',
    type: 'number',
    description: 'Completion events per function invocation (event source mapping batch size).',
    default: TASKER_DEFAULTS.batchSize,
    validation: [wholeNumberIn('batch_size', 1, 10_000)],
  },
  {
    name: 'sweep_schedule',
    type: 'string',
    description: 'How often the sweep looks for statements whose completion event was lost (an EventBridge schedule expression).',
    default: DEFAULTS.SWEEP_SCHEDULE,
    validation: [
      {
        condition: 'can(regex("^(rate|cron)\\\\(.+\\\\)$", var.sweep_schedule))',
        errorMessage: 'sweep_schedule must be an EventBridge schedule expression: rate(...) or cron(...).',
      },
    ],
  },
  {
    name: 'sweep_grace_seconds',
    type: 'number',
    description: 'Seconds a statement may run without a completion event before the sweep asks the Data API about it.',
    default: DEFAULTS.SWEEP_GRACE_SECONDS,
    validation: [wholeNumberIn('sweep_grace_seconds', 1, 86_400)],
  },
  {
    name: 'fast_path_seconds',
    type: 'number',
    description:
      'Seconds the start waits for the statement (Data API WaitTimeSeconds, 0 to 30) and completes a short one itself; 0 turns the fast path off. Keep it below lambda_timeout.',
    default: DEFAULTS.FAST_PATH_SECONDS,
    validation: [wholeNumberIn('fast_path_seconds', 0, LIMITS.WAIT_TIME_SECONDS_MAX)],
  },
  {
    name: 'item_ttl_seconds',
    type: 'number',
    description: 'Seconds a finished tracking item is kept before its TTL expires it.',
    default: DEFAULTS.ITEM_TTL_SECONDS,
    validation: [wholeNumberIn('item_ttl_seconds', 60, 365 * 86_400)],
  },
  {
    name: 'aborted_error_name',
    type: 'string',
    description:
      'Error name sent to Step Functions when a statement is ABORTED. FAILED keeps the original library\'s behaviour, which existing Catch blocks rely on.',
    default: DEFAULTS.ABORTED_ERROR_NAME,
    validation: [
      {
        condition: 'contains(["FAILED", "ABORTED"], var.aborted_error_name)',
        errorMessage: 'aborted_error_name must be FAILED or ABORTED.',
      },
    ],
  },
  // --- Functions ------------------------------------------------------------------------------
  {
    name: 'log_level',
    type: 'string',
    description: `Log level of the handler: ${LOG_LEVELS.join(', ')}.`,
    default: DEFAULTS.LOG_LEVEL,
    validation: [
      { condition: `contains(${hclList(LOG_LEVELS)}, var.log_level)`, errorMessage: `log_level must be one of ${LOG_LEVELS.join(', ')}.` },
    ],
  },
  {
    name: 'log_retention_days',
    type: 'number',
    description: 'Retention of the functions\' log groups, in days (a value CloudWatch Logs accepts).',
    default: TASKER_DEFAULTS.logRetentionDays,
    validation: [
      {
        condition: `contains(${hclList(LOG_RETENTION_DAYS)}, var.log_retention_days)`,
        errorMessage: `log_retention_days must be one of ${LOG_RETENTION_DAYS.join(', ')}.`,
      },
    ],
  },
  {
    name: 'lambda_memory_size',
    type: 'number',
    description: 'Memory of the function(s), in MB.',
    default: TASKER_DEFAULTS.memorySize,
    validation: [wholeNumberIn('lambda_memory_size', 128, 10_240)],
  },
  {
    name: 'lambda_timeout',
    type: 'number',
    description: 'Timeout of the function(s), in seconds. The queue\'s visibility timeout is six times this.',
    default: TASKER_DEFAULTS.timeout,
    validation: [wholeNumberIn('lambda_timeout', 1, 900)],
  },
  {
    name: 'reserved_concurrency',
    type: 'number',
    description: 'Reserved concurrency of the function(s). null leaves them unreserved.',
    default: null,
    validation: [
      {
        condition: 'var.reserved_concurrency == null || try(var.reserved_concurrency >= 1 && floor(var.reserved_concurrency) == var.reserved_concurrency, false)',
        errorMessage: 'reserved_concurrency must be null or a whole number of at least 1.',
      },
    ],
  },
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
      'ARNs of the state machines the function may send task callbacks to (states:SendTaskSuccess, SendTaskFailure). null allows every state machine in the account and region.',
    default: null,
    validation: [
      {
        condition: `var.state_machine_arns == null || try(length(var.state_machine_arns) > 0 && alltrue([for arn in var.state_machine_arns : can(regex("${ARN_PREFIX}states${REGION_ACCOUNT}stateMachine:.+$", arn))]), false)`,
        errorMessage:
          'state_machine_arns must be null (every state machine in the account and region) or a non-empty list of state machine ARNs (arn:...:states:<region>:<account>:stateMachine:<name>).',
      },
    ],
  },
  SQL_RESOURCES_MODULE_INPUT,

  // --- Operating it: heartbeats, orphans, metrics, alarms, platform knobs ----------------------
  ...OPERATIONS_MODULE_INPUTS,
];
