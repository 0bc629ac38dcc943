/**
 * The tasker's tunable settings in one table: the default and the allowed values of each, with the names
 * it has in each layer (construct prop = the key, Terraform module input, handler environment variable).
 *
 * Read by prop validation (`modules/private/validate-props.ts`), the module's input variables and their
 * `validation` blocks (`module-builder/module-inputs.ts`), the handler's configuration
 * (`functions/tasker/platform/config.ts`) and the generated props reference (`docs/construct-props.md`, which fails to
 * generate when a prop's `@default` disagrees with this table). Shared by the construct and the handler
 * bundle, so it holds data and small pure checks only.
 */
import { ENV } from './contract';

interface SettingNames {
  /** Name of the Terraform module's input variable, where the module has one. */
  readonly input?: string;
  /** Environment variable the handler reads it from, where the handler needs it. */
  readonly env?: string;
}

/** A whole number within `min`…`max`. */
export interface WholeNumberSetting extends SettingNames {
  readonly type: 'whole';
  /** Absent: unset means "not set" (the resource's own default). */
  readonly default?: number;
  readonly min: number;
  readonly max: number;
}

/** One of a fixed list of values. */
export interface ChoiceSetting<T extends string | number = string | number> extends SettingNames {
  readonly type: 'choice';
  readonly default: T;
  readonly values: readonly T[];
}

export interface FlagSetting extends SettingNames {
  readonly type: 'flag';
  readonly default: boolean;
}

/** Text matching `pattern` (written for both JavaScript and Terraform's RE2). */
export interface TextSetting extends SettingNames {
  readonly type: 'text';
  readonly default: string;
  readonly pattern: string;
  /** What a valid value is, in words, for error messages. */
  readonly describe: string;
}

export type Setting = WholeNumberSetting | ChoiceSetting | FlagSetting | TextSetting;

/** Retention values CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

// Each helper keeps what the entry gives (an `env` name, a default) in its type, so readers need no checks.
const whole = <S extends Omit<WholeNumberSetting, 'type'>>(setting: S) => ({ type: 'whole' as const, ...setting });
const flag = <S extends Omit<FlagSetting, 'type'>>(setting: S) => ({ type: 'flag' as const, ...setting });
const choice = <S extends Omit<ChoiceSetting, 'type'>>(setting: S) => ({ type: 'choice' as const, ...setting });

/** Every tunable setting, by construct prop (nested props as `parent.child`). */
export const SETTINGS = {
  maxReceiveCount: whole({ input: 'max_receive_count', default: 15, min: 1, max: 1000 }),
  batchSize: whole({ input: 'batch_size', default: 10, min: 1, max: 10_000 }),
  lambdaMemorySize: whole({ input: 'lambda_memory_size', default: 256, min: 128, max: 10_240 }),
  lambdaTimeout: whole({ input: 'lambda_timeout', default: 60, min: 1, max: 900 }),
  reservedConcurrency: whole({ input: 'reserved_concurrency', min: 1, max: 100_000 }),
  logRetentionDays: choice({ input: 'log_retention_days', default: 30, values: LOG_RETENTION_DAYS }),
  logLevel: choice({ input: 'log_level', env: ENV.LOG_LEVEL, default: 'INFO', values: ['DEBUG', 'INFO', 'WARN', 'ERROR'] }),
  logFormat: choice({ input: 'log_format', default: 'Text', values: ['Text', 'JSON'] }),
  /** arm64: the handler is plain JavaScript (no native modules), and Lambda prices arm64 about 20% lower per GB-second. */
  architecture: choice({ input: 'architecture', default: 'arm64', values: ['arm64', 'x86_64'] }),
  sweepSchedule: {
    type: 'text',
    input: 'sweep_schedule',
    default: 'rate(5 minutes)',
    pattern: '^(rate|cron)\\(.+\\)$',
    describe: 'an EventBridge schedule expression: rate(...) or cron(...)',
  } satisfies TextSetting,
  sweepGraceSeconds: whole({ input: 'sweep_grace_seconds', env: ENV.SWEEP_GRACE_SECONDS, default: 300, min: 1, max: 86_400 }),
  /** The fast path's wait: 1 s costs at most 1 s of Lambda time per statement; 30 s is the Data API's longest `WaitTimeSeconds`. */
  fastPathSeconds: whole({ input: 'fast_path_seconds', env: ENV.FAST_PATH_SECONDS, default: 1, min: 0, max: 30 }),
  itemTtlSeconds: whole({ input: 'item_ttl_seconds', env: ENV.ITEM_TTL_SECONDS, default: 86_400, min: 60, max: 365 * 86_400 }),
  abortedErrorName: choice({ input: 'aborted_error_name', env: ENV.ABORTED_ERROR_NAME, default: 'FAILED', values: ['FAILED', 'ABORTED'] }),
  describeOnSuccess: flag({ input: 'describe_on_success', env: ENV.DESCRIBE_ON_SUCCESS, default: false }),
  sendHeartbeats: flag({ input: 'send_heartbeats', env: ENV.SEND_HEARTBEATS, default: true }),
  cancelOrphanedStatements: flag({ input: 'cancel_orphaned_statements', env: ENV.CANCEL_ORPHANED_STATEMENTS, default: true }),
  cancelOnExecutionEnd: flag({ input: 'cancel_on_execution_end', default: false }),
  /**
   * How long after its statement started the sweep keeps retrying a callback Step Functions has not answered.
   * Default and maximum: one year, the longest a Standard workflow task can live (a closed task's token
   * answers TaskTimedOut/TaskDoesNotExist, which ends the retries sooner).
   */
  callbackMaxAgeSeconds: whole({
    input: 'callback_max_age_seconds',
    env: ENV.CALLBACK_MAX_AGE_SECONDS,
    default: 31_536_000,
    min: 60,
    max: 31_536_000,
  }),
  'alarms.functionErrorsThreshold': whole({ input: 'alarm_function_errors_threshold', default: 5, min: 1, max: 1_000_000 }),
  'alarms.oldestEventAgeSeconds': whole({ input: 'alarm_oldest_event_age_seconds', default: 900, min: 1, max: 1_209_600 }),
  'alarms.sweepRepairsThreshold': whole({ input: 'alarm_sweep_repairs_threshold', default: 1, min: 1, max: 1_000_000 }),
  'alarms.pendingCallbackAgeSeconds': whole({ input: 'alarm_pending_callback_age_seconds', default: 900, min: 1, max: 31_536_000 }),
} as const;

export type SettingName = keyof typeof SETTINGS;

/** Why `value` is not allowed for `setting` (`name` as the caller knows it), or undefined when it is. */
export function settingProblem(name: string, setting: Setting, value: unknown): string | undefined {
  switch (setting.type) {
    case 'whole':
      return typeof value === 'number' && Number.isInteger(value) && value >= setting.min && value <= setting.max
        ? undefined
        : `${name} must be an integer from ${setting.min} to ${setting.max} (got ${String(value)})`;
    case 'choice':
      return (setting.values as readonly unknown[]).includes(value)
        ? undefined
        : `${name} '${String(value)}' must be one of ${setting.values.join(', ')}`;
    case 'flag':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false (got ${String(value)})`;
    case 'text':
      return typeof value === 'string' && new RegExp(setting.pattern).test(value)
        ? undefined
        : `${name} '${String(value)}' must be ${setting.describe}`;
  }
}

/** A human summary of the allowed values ("0 to 30", "one of FAILED, ABORTED"), for generated docs. */
export function allowedValues(setting: Setting): string {
  switch (setting.type) {
    case 'whole':
      return `${setting.min.toLocaleString('en-US')} to ${setting.max.toLocaleString('en-US')}`;
    case 'choice':
      return `one of ${setting.values.join(', ')}`;
    case 'flag':
      return 'true or false';
    case 'text':
      return setting.describe;
  }
}

/** Start of every default statement name prefix: the construct appends `<namePrefix>-`, so two taskers never share one. */
export const STATEMENT_NAME_PREFIX_BASE = 'sfnrs-';

/** A statement name prefix given explicitly (prop `statementNamePrefix`, module input `statement_name_prefix`). */
export const STATEMENT_NAME_PREFIX_RULE = {
  pattern: '^[A-Za-z0-9_.:#-]{1,100}$',
  describe: "1 to 100 letters, digits or '-', '_', '.', ':', '#'",
} as const;

/**
 * The defaults under their former names, read from `SETTINGS`.
 * @deprecated Read `SETTINGS.<prop>.default` (and `STATEMENT_NAME_PREFIX_BASE`).
 */
export const DEFAULTS = {
  STATEMENT_NAME_PREFIX: STATEMENT_NAME_PREFIX_BASE,
  ABORTED_ERROR_NAME: SETTINGS.abortedErrorName.default,
  ITEM_TTL_SECONDS: SETTINGS.itemTtlSeconds.default,
  SWEEP_GRACE_SECONDS: SETTINGS.sweepGraceSeconds.default,
  DESCRIBE_ON_SUCCESS: SETTINGS.describeOnSuccess.default,
  FAST_PATH_SECONDS: SETTINGS.fastPathSeconds.default,
  SWEEP_SCHEDULE: SETTINGS.sweepSchedule.default,
  MAX_RECEIVE_COUNT: SETTINGS.maxReceiveCount.default,
  LOG_LEVEL: SETTINGS.logLevel.default,
  SEND_HEARTBEATS: SETTINGS.sendHeartbeats.default,
  CANCEL_ORPHANED_STATEMENTS: SETTINGS.cancelOrphanedStatements.default,
} as const;
