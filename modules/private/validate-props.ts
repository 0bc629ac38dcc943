/**
 * Checks the construct's props at synth time and resolves their defaults into one plain config.
 *
 * Every problem is collected and reported in one `TaskerConfigurationError`, thrown before the
 * construct creates anything. Values that are Terraform tokens (references to other resources or
 * variables) cannot be checked here and are passed through: their checks belong to Terraform (for
 * example `validation` blocks of the variables they come from). Only the settings that decide which
 * resources exist must be plain values.
 */
import { Token } from 'cdktf';
import { targetProblems, type CheckedTarget, type Presence, type TargetField } from '../../functions/shared/redshift-target';
import { STATEMENT_NAME_PREFIX_BASE, STATEMENT_NAME_PREFIX_RULE } from '../../functions/shared/settings';
import { settingValue } from './setting-value';
import { mayBeNull } from '../plan-time';
import type { CallbackPathOwner, ExternalCallbackPath, SfnRedshiftTaskerProps, TaskerLogLevel } from '../tasker-props';
import { resolveOperations, type ResolvedOperations } from './validate-operations';

/** Thrown for props that cannot make a working tasker; `problems` lists each one. */
export class TaskerConfigurationError extends Error {
  public readonly problems: readonly string[];

  constructor(constructId: string, problems: readonly string[]) {
    super(`Invalid SfnRedshiftTasker props for '${constructId}':\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TaskerConfigurationError';
    this.problems = problems;
  }
}

/**
 * The Redshift target, normalised from `redshiftTarget` or the legacy `redshiftTargetProps`. `plan-time`:
 * Terraform picks the kind (`clusterIdentifier` and `workgroupName` are `orNull` references; see `PlanTimeTarget`).
 */
export type ResolvedTarget =
  | CheckedTarget
  | {
      kind: 'plan-time';
      clusterIdentifier: string;
      workgroupName: string;
      database: string;
      dbUser?: string;
      secretArn?: string;
      workgroupArn?: string;
    };

/** Every setting the construct needs, with defaults applied. */
export interface ResolvedTaskerConfig extends ResolvedOperations {
  readonly target: ResolvedTarget;
  readonly namePrefix: string;
  readonly statementNamePrefix: string;
  readonly createCallbackInfra: boolean;
  readonly deployDeadLetterQueue: boolean;
  readonly maxReceiveCount: number;
  readonly encryptionKeyArn?: string;
  readonly existingTableName?: string;
  readonly logLevel: TaskerLogLevel;
  readonly logRetentionDays: number;
  readonly memorySize: number;
  readonly timeout: number;
  readonly reservedConcurrency?: number;
  readonly separateCompleter: boolean;
  readonly abortedErrorName: 'FAILED' | 'ABORTED';
  readonly sweepSchedule: string;
  readonly sweepGraceSeconds: number;
  readonly itemTtlSeconds: number;
  readonly callbackMaxAgeSeconds: number;
  readonly describeOnSuccess: boolean;
  readonly fastPathSeconds: number;
  readonly batchSize: number;
  readonly stateMachineArns?: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Longest name prefix: keeps every derived name (the longest adds 17 characters) within the 64 characters IAM and EventBridge allow. */
export const NAME_PREFIX_MAX = 40;
const NAME_PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ARN_PATTERN = (service: string): RegExp => new RegExp(`^arn:[a-z-]+:${service}:[a-z0-9-]*:\\d{12}:.+`);

const isToken = (value: unknown): boolean => Token.isUnresolved(value);
const isBlank = (value: string | undefined): boolean => value === undefined || (!isToken(value) && value.trim() === '');

/** Validates `props` (for the construct with id `constructId`) and returns the resolved config, or throws `TaskerConfigurationError`. */
export function resolveTaskerConfig(constructId: string, props: SfnRedshiftTaskerProps): ResolvedTaskerConfig {
  const problems: string[] = [];
  const target = resolveTarget(props, problems);

  // A reference is fine: every name derived from it is a string template Terraform completes.
  const namePrefix = props.namePrefix ?? constructId;
  if (!isToken(namePrefix)) {
    if (!NAME_PREFIX_PATTERN.test(namePrefix) || namePrefix.length > NAME_PREFIX_MAX) {
      problems.push(
        `namePrefix '${namePrefix}' must be 1 to ${NAME_PREFIX_MAX} letters, digits, '-' or '_', starting with a letter` +
          (props.namePrefix === undefined ? ' (it defaults to the construct id; set namePrefix)' : ''),
      );
    } else if (/^aws/i.test(namePrefix)) {
      problems.push(`namePrefix '${namePrefix}' must not start with 'aws' (reserved for KMS aliases of AWS services)`);
    }
  }

  for (const name of ['createCallbackInfra', 'deployDeadLetterQueue', 'separateCompleter'] as const) {
    if (isToken(props[name])) problems.push(`${name} must be a plain boolean, not a Terraform reference: it decides which resources exist`);
  }
  props = expandCallbackPath(props, problems);
  const { callbackTasker } = props;
  const createCallbackInfra = callbackTasker === undefined && (props.createCallbackInfra ?? true);
  if (callbackTasker !== undefined) {
    checkCallbackTasker(callbackTasker, props, problems);
  } else if (!createCallbackInfra) {
    if (isBlank(props.existingTableName)) {
      problems.push('createCallbackInfra: false needs existingTableName (the table of the tasker whose callback path is reused)');
    }
    if (isBlank(props.statementNamePrefix)) {
      problems.push('createCallbackInfra: false needs statementNamePrefix (the prefix the reused event rule matches)');
    }
    if (isBlank(props.encryptionKey) || mayBeNull(props.encryptionKey)) {
      problems.push(
        'createCallbackInfra: false needs encryptionKey, not an orNull reference (the key that encrypts the reused table); in the same stack, give callbackTasker instead',
      );
    }
  }
  if (props.existingTableName !== undefined && isBlank(props.existingTableName)) {
    problems.push('existingTableName must not be empty');
  }

  const statementNamePrefix =
    callbackTasker?.statementNamePrefix ?? props.statementNamePrefix ?? `${STATEMENT_NAME_PREFIX_BASE}${namePrefix}-`;
  if (props.statementNamePrefix !== undefined && !isToken(props.statementNamePrefix)) {
    if (!new RegExp(STATEMENT_NAME_PREFIX_RULE.pattern).test(props.statementNamePrefix)) {
      problems.push(`statementNamePrefix '${props.statementNamePrefix}' must be ${STATEMENT_NAME_PREFIX_RULE.describe}`);
    }
  }

  const maxReceiveCount = settingValue('maxReceiveCount', props.maxReceiveCount, problems);
  const memorySize = settingValue('lambdaMemorySize', props.lambdaMemorySize, problems);
  const timeout = settingValue('lambdaTimeout', props.lambdaTimeout, problems);
  if (props.reservedConcurrency !== undefined) {
    settingValue('reservedConcurrency', props.reservedConcurrency, problems);
    // The queue's event source mapping runs at least 2 invocations at once (the SQS minimum of its
    // maximum concurrency): with 1 reserved, every other batch would be throttled and count as a receive.
    if (createCallbackInfra && !isToken(props.reservedConcurrency) && props.reservedConcurrency === 1) {
      problems.push(
        'reservedConcurrency must be at least 2 with a callback path: the queue feeds the completer with at least 2 concurrent invocations',
      );
    }
  }
  const batchSize = settingValue('batchSize', props.batchSize, problems);
  const sweepGraceSeconds = settingValue('sweepGraceSeconds', props.sweepGraceSeconds, problems);
  const fastPathSeconds = settingValue('fastPathSeconds', props.fastPathSeconds, problems);
  // The start must answer within the function timeout after its wait. Checked for a value given explicitly;
  // with the default, the handler shortens the wait to the time left (fast-path.ts), so short timeouts still work.
  if (props.fastPathSeconds !== undefined && !isToken(fastPathSeconds) && !isToken(timeout) && timeout >= 1 && fastPathSeconds > 0 && fastPathSeconds >= timeout) {
    problems.push(`fastPathSeconds (${fastPathSeconds}) must be below lambdaTimeout (${timeout}): the start waits that long within one invocation`);
  }
  const itemTtlSeconds = settingValue('itemTtlSeconds', props.itemTtlSeconds, problems);
  const callbackMaxAgeSeconds = settingValue('callbackMaxAgeSeconds', props.callbackMaxAgeSeconds, problems);
  const logRetentionDays = settingValue('logRetentionDays', props.logRetentionDays, problems);
  const logLevel = settingValue('logLevel', props.logLevel, problems) as TaskerLogLevel;
  const abortedErrorName = settingValue('abortedErrorName', props.abortedErrorName, problems) as 'FAILED' | 'ABORTED';
  const sweepSchedule = settingValue('sweepSchedule', props.sweepSchedule, problems);
  const describeOnSuccess = settingValue('describeOnSuccess', props.describeOnSuccess, problems);

  checkArn('encryptionKey', props.encryptionKey, 'kms', problems);
  // A list reference (`Token.asList`) looks like a one-element list; Terraform checks its items.
  if (props.stateMachineArns !== undefined && !isToken(props.stateMachineArns)) {
    if (props.stateMachineArns.length === 0) {
      problems.push('stateMachineArns must not be empty (omit it to allow every state machine in the account and region)');
    }
    props.stateMachineArns.forEach((arn, i) => checkArn(`stateMachineArns[${i}]`, arn, 'states', problems));
  }
  const operations = resolveOperations(props, problems);
  for (const [key, value] of Object.entries(props.tags ?? {})) {
    if (key.trim() === '' || key.length > 128) problems.push(`tag key '${key}' must be 1 to 128 characters`);
    if (typeof value !== 'string' || value.length > 256) problems.push(`tag '${key}' must have a string value of at most 256 characters`);
  }

  if (problems.length > 0 || target === undefined) {
    throw new TaskerConfigurationError(constructId, problems);
  }
  return {
    target,
    namePrefix,
    statementNamePrefix,
    createCallbackInfra,
    deployDeadLetterQueue: props.deployDeadLetterQueue ?? true,
    maxReceiveCount,
    encryptionKeyArn: callbackTasker?.encryptionKey.arn ?? props.encryptionKey,
    existingTableName: callbackTasker?.trackingTable.name ?? props.existingTableName,
    logLevel,
    logRetentionDays,
    memorySize,
    timeout,
    reservedConcurrency: props.reservedConcurrency,
    separateCompleter: props.separateCompleter ?? false,
    abortedErrorName,
    sweepSchedule,
    sweepGraceSeconds,
    itemTtlSeconds,
    callbackMaxAgeSeconds,
    describeOnSuccess,
    fastPathSeconds,
    batchSize,
    stateMachineArns: props.stateMachineArns,
    tags: { ...(props.tags ?? {}) },
    ...operations,
  };
}

const CALLBACK_PATH_REPLACES = ['callbackTasker', 'createCallbackInfra', 'existingTableName', 'statementNamePrefix', 'encryptionKey'] as const;

/** The external form of `callbackPath` names a table; a tasker has a `trackingTable` instead. */
export function isExternalCallbackPath(path: SfnRedshiftTaskerProps['callbackPath']): path is ExternalCallbackPath {
  return path !== undefined && 'tableName' in path;
}

/**
 * `callbackPath` as the deprecated props it replaces (a tasker: `callbackTasker`; the external form:
 * `createCallbackInfra: false` + `existingTableName` + `statementNamePrefix` + `encryptionKey`), so one
 * set of rules checks both. Giving it with any of those props is a problem.
 */
function expandCallbackPath(props: SfnRedshiftTaskerProps, problems: string[]): SfnRedshiftTaskerProps {
  const path = props.callbackPath;
  if (path === undefined) return props;
  const given = CALLBACK_PATH_REPLACES.filter((name) => props[name] !== undefined);
  if (given.length > 0) problems.push(`callbackPath replaces ${given.join(', ')}; give only callbackPath`);
  if (!isExternalCallbackPath(path)) return { ...props, callbackPath: undefined, callbackTasker: path };
  for (const name of ['tableName', 'statementNamePrefix', 'encryptionKeyArn'] as const) {
    if (isBlank(path[name])) problems.push(`callbackPath.${name} must not be empty`);
  }
  return {
    ...props,
    callbackPath: undefined,
    createCallbackInfra: false,
    existingTableName: path.tableName,
    statementNamePrefix: path.statementNamePrefix,
    encryptionKey: path.encryptionKeyArn,
  };
}

/** `callbackTasker` brings the table, prefix and key: giving them too, or a tasker without a callback path, is a mistake. */
function checkCallbackTasker(callbackTasker: CallbackPathOwner, props: SfnRedshiftTaskerProps, problems: string[]): void {
  const id = callbackTasker.node.id;
  if (props.createCallbackInfra === true) {
    problems.push(`callbackTasker '${id}' means createCallbackInfra: false (this tasker reuses its callback path); omit createCallbackInfra`);
  }
  for (const name of ['existingTableName', 'statementNamePrefix', 'encryptionKey'] as const) {
    if (props[name] !== undefined) problems.push(`${name} comes from callbackTasker '${id}'; do not give it too`);
  }
  if (!callbackTasker.config.createCallbackInfra) {
    problems.push(`callbackTasker '${id}' has no callback path of its own (createCallbackInfra: false); give the tasker that has one`);
  }
}

/** Normalises the target; pushes a problem (and returns undefined) when it is missing or ambiguous. */
function resolveTarget(props: SfnRedshiftTaskerProps, problems: string[]): ResolvedTarget | undefined {
  const modern = props.redshiftTarget as (Record<string, string | undefined> & object) | undefined;
  const legacy = props.redshiftTargetProps;
  if (modern !== undefined && legacy !== undefined) {
    problems.push('give redshiftTarget or redshiftTargetProps (the original library\'s shape), not both');
    return undefined;
  }
  if (legacy !== undefined) {
    const before = problems.length;
    if (isBlank(legacy.clusterIdentifier)) problems.push('redshiftTargetProps.clusterIdentifier must not be empty');
    if (isBlank(legacy.dbName)) problems.push('redshiftTargetProps.dbName must not be empty');
    if (isBlank(legacy.dbUser)) problems.push('redshiftTargetProps.dbUser must not be empty');
    if (problems.length > before) return undefined;
    return { kind: 'cluster', clusterIdentifier: legacy.clusterIdentifier, database: legacy.dbName, dbUser: legacy.dbUser };
  }
  if (modern === undefined) {
    problems.push('a Redshift target is required: give redshiftTarget ({ clusterIdentifier, database, dbUser | secretArn } or { workgroupName, database })');
    return undefined;
  }

  const before = problems.length;
  const { clusterIdentifier, workgroupName, database, dbUser, secretArn, workgroupArn } = modern;
  // The rules between the fields are the shared ones (TARGET_RULES); an orNull reference may be null at plan time.
  const presence = (field: TargetField): Presence => {
    const value = modern[field];
    return value === undefined ? 'absent' : mayBeNull(value) ? 'maybe' : 'present';
  };
  const ruleProblems = targetProblems(presence, (field) => field, { planTime: true });
  if (presence('clusterIdentifier') === 'maybe' && presence('workgroupName') === 'maybe') return resolvePlanTimeTarget(modern, problems);
  problems.push(...ruleProblems.map((problem) => `redshiftTarget: ${problem}`));
  if (clusterIdentifier === undefined && workgroupName === undefined) return undefined;
  if (clusterIdentifier !== undefined && workgroupName !== undefined) return undefined;

  if (isBlank(database)) problems.push('redshiftTarget.database must not be empty');
  if (secretArn !== undefined) checkArn('redshiftTarget.secretArn', secretArn, 'secretsmanager', problems);
  if (clusterIdentifier !== undefined) {
    if (isBlank(clusterIdentifier)) problems.push('redshiftTarget.clusterIdentifier must not be empty');
    else if (!isToken(clusterIdentifier) && !/^[a-z][a-z0-9-]{0,62}$/.test(clusterIdentifier)) {
      problems.push(`redshiftTarget.clusterIdentifier '${clusterIdentifier}' is not a valid cluster identifier (lower-case letters, digits, hyphens)`);
    }
    if (dbUser !== undefined && isBlank(dbUser)) problems.push('redshiftTarget.dbUser must not be empty');
    if (problems.length > before) return undefined;
    return { kind: 'cluster', clusterIdentifier, database: database as string, dbUser, secretArn };
  }

  if (isBlank(workgroupName)) problems.push('redshiftTarget.workgroupName must not be empty');
  if (workgroupArn !== undefined) checkArn('redshiftTarget.workgroupArn', workgroupArn, 'redshift-serverless', problems);
  if (problems.length > before) return undefined;
  return { kind: 'workgroup', workgroupName: workgroupName as string, database: database as string, secretArn, workgroupArn };
}

/**
 * A target Terraform picks at plan time: the fields that belong to one kind only (`dbUser`, `workgroupArn`)
 * must be `orNull` references too, since the other kind takes none.
 */
function resolvePlanTimeTarget(target: Record<string, string | undefined>, problems: string[]): ResolvedTarget | undefined {
  const before = problems.length;
  const { clusterIdentifier, workgroupName, database, dbUser, secretArn, workgroupArn } = target;
  if (isBlank(database)) problems.push('redshiftTarget.database must not be empty');
  for (const [name, value] of [['dbUser', dbUser], ['secretArn', secretArn], ['workgroupArn', workgroupArn]] as const) {
    if (value !== undefined && !mayBeNull(value)) {
      problems.push(`redshiftTarget.${name} of a plan-time target must be an orNull reference or left out (Terraform picks the kind)`);
    }
  }
  if (problems.length > before) return undefined;
  return {
    kind: 'plan-time',
    clusterIdentifier: clusterIdentifier as string,
    workgroupName: workgroupName as string,
    database: database as string,
    dbUser,
    secretArn,
    workgroupArn,
  };
}


function checkArn(name: string, value: string | undefined, service: string, problems: string[]): void {
  if (value === undefined || isToken(value)) return;
  if (!ARN_PATTERN(service).test(value)) problems.push(`${name} '${value}' is not an ARN of ${service}`);
}
