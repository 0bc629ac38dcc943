/**
 * The checks `resolveTaskerConfig` runs on the props (target, names, tunable settings, ARNs and tags).
 * Each pushes its problems to the caller's list, reported together before the construct creates anything.
 * Values that are Terraform tokens (references to other resources or variables) cannot be checked here
 * and are passed through: their checks belong to Terraform (for example `validation` blocks of the
 * variables they come from). Only the settings that decide which resources exist must be plain values.
 */
import { Token } from 'cdktf';
import { targetProblems, type Presence, type TargetField } from '../../functions/shared/redshift-target';
import { STATEMENT_NAME_PREFIX_BASE, STATEMENT_NAME_PREFIX_RULE } from '../../functions/shared/settings';
import { NAME_PREFIX_MAX } from '../name-prefix';
import { mayBeNull } from '../plan-time';
import type { ResolvedCallbackPath, ResolvedTarget, ResolvedTaskerConfig } from '../tasker-config';
import type { SfnRedshiftTaskerProps, TaskerLogLevel } from '../tasker-props';
import { dictatedStatementNamePrefix } from './callback-path';
import type { GroupedOptions } from './legacy-props';
import { settingValue } from './setting-value';

const NAME_PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ARN_PATTERN = (service: string): RegExp => new RegExp(`^arn:[a-z-]+:${service}:[a-z0-9-]*:\\d{12}:.+`);

const isToken = (value: unknown): boolean => Token.isUnresolved(value);
const isBlank = (value: string | undefined): boolean => value === undefined || (!isToken(value) && value.trim() === '');

/** The name prefix (the construct id by default); pushes a problem when it cannot prefix every resource name. */
export function resolveNamePrefix(constructId: string, props: SfnRedshiftTaskerProps, problems: string[]): string {
  // A reference is fine: every name derived from it is a string template Terraform completes.
  const namePrefix = props.namePrefix ?? constructId;
  if (isToken(namePrefix)) return namePrefix;
  if (!NAME_PREFIX_PATTERN.test(namePrefix) || namePrefix.length > NAME_PREFIX_MAX) {
    problems.push(
      `namePrefix '${namePrefix}' must be 1 to ${NAME_PREFIX_MAX} letters, digits, '-' or '_', starting with a letter` +
        (props.namePrefix === undefined ? ' (it defaults to the construct id; set namePrefix)' : ''),
    );
  } else if (/^aws/i.test(namePrefix)) {
    problems.push(`namePrefix '${namePrefix}' must not start with 'aws' (reserved for KMS aliases of AWS services)`);
  }
  return namePrefix;
}

/** The settings that decide which resources exist must be plain values. */
export function checkPlainFlags(props: SfnRedshiftTaskerProps, problems: string[]): void {
  for (const name of ['createCallbackInfra', 'deployDeadLetterQueue', 'separateCompleter'] as const) {
    if (isToken(props[name])) problems.push(`${name} must be a plain boolean, not a Terraform reference: it decides which resources exist`);
  }
}

/** The statement name prefix: the reused path's, the one given, or `sfnrs-<namePrefix>-`; a given one must match the rule. */
export function resolveStatementNamePrefix(
  props: SfnRedshiftTaskerProps,
  path: ResolvedCallbackPath,
  namePrefix: string,
  problems: string[],
): string {
  const dictated = dictatedStatementNamePrefix(path);
  const given = path.kind === 'external' ? path.statementNamePrefix : props.statementNamePrefix;
  if (given !== undefined && !isToken(given) && !new RegExp(STATEMENT_NAME_PREFIX_RULE.pattern).test(given)) {
    problems.push(`statementNamePrefix '${given}' must be ${STATEMENT_NAME_PREFIX_RULE.describe}`);
  }
  return dictated ?? props.statementNamePrefix ?? `${STATEMENT_NAME_PREFIX_BASE}${namePrefix}-`;
}

/** The tunable settings of the table (`SETTINGS`), defaults applied. */
export type ResolvedTuning = Pick<
  ResolvedTaskerConfig,
  | 'maxReceiveCount'
  | 'memorySize'
  | 'timeout'
  | 'reservedConcurrency'
  | 'batchSize'
  | 'sweepGraceSeconds'
  | 'fastPathSeconds'
  | 'itemTtlSeconds'
  | 'callbackMaxAgeSeconds'
  | 'logRetentionDays'
  | 'logLevel'
  | 'abortedErrorName'
  | 'sweepSchedule'
  | 'describeOnSuccess'
>;

/** Checks the tunable settings against the shared table and against each other. */
export function resolveTuning(
  props: SfnRedshiftTaskerProps,
  options: GroupedOptions,
  path: ResolvedCallbackPath,
  problems: string[],
): ResolvedTuning {
  // Checked in the order of the settings table, so problems read in a stable order.
  const maxReceiveCount = settingValue('maxReceiveCount', props.maxReceiveCount, problems);
  const memorySize = settingValue('lambdaMemorySize', options.function.memorySize, problems);
  const timeout = settingValue('lambdaTimeout', options.function.timeout, problems);
  const { reservedConcurrency } = options.function;
  if (reservedConcurrency !== undefined) {
    settingValue('reservedConcurrency', reservedConcurrency, problems);
    // The queue's event source mapping runs at least 2 invocations at once (the SQS minimum of its
    // maximum concurrency): with 1 reserved, every other batch would be throttled and count as a receive.
    if (path.kind === 'own' && !isToken(reservedConcurrency) && reservedConcurrency === 1) {
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
  if (
    props.fastPathSeconds !== undefined &&
    !isToken(fastPathSeconds) &&
    !isToken(timeout) &&
    timeout >= 1 &&
    fastPathSeconds > 0 &&
    fastPathSeconds >= timeout
  ) {
    problems.push(
      `fastPathSeconds (${fastPathSeconds}) must be below lambdaTimeout (${timeout}): the start waits that long within one invocation`,
    );
  }
  return {
    maxReceiveCount,
    memorySize,
    timeout,
    reservedConcurrency,
    batchSize,
    sweepGraceSeconds,
    fastPathSeconds,
    itemTtlSeconds: settingValue('itemTtlSeconds', props.itemTtlSeconds, problems),
    callbackMaxAgeSeconds: settingValue('callbackMaxAgeSeconds', props.callbackMaxAgeSeconds, problems),
    logRetentionDays: settingValue('logRetentionDays', options.logging.retentionDays, problems),
    logLevel: settingValue('logLevel', options.logging.level, problems) as TaskerLogLevel,
    abortedErrorName: settingValue('abortedErrorName', props.abortedErrorName, problems) as 'FAILED' | 'ABORTED',
    sweepSchedule: settingValue('sweepSchedule', props.sweepSchedule, problems),
    describeOnSuccess: settingValue('describeOnSuccess', props.describeOnSuccess, problems),
  };
}

/** ARNs given as plain values (the key, the state machines) and the tags. */
export function checkArnsAndTags(
  props: SfnRedshiftTaskerProps,
  options: GroupedOptions,
  path: ResolvedCallbackPath,
  problems: string[],
): void {
  if (options.encryptionKey !== undefined) checkArn(options.encryptionKey.propName, options.encryptionKey.arn, 'kms', problems);
  else if (path.kind === 'external') checkArn('callbackPath.encryptionKeyArn', path.encryptionKeyArn, 'kms', problems);
  // A list reference (`Token.asList`) looks like a one-element list; Terraform checks its items.
  if (props.stateMachineArns !== undefined && !isToken(props.stateMachineArns)) {
    if (props.stateMachineArns.length === 0) {
      problems.push('stateMachineArns must not be empty (omit it to allow every state machine in the account and region)');
    }
    for (const [i, arn] of props.stateMachineArns.entries()) checkArn(`stateMachineArns[${i}]`, arn, 'states', problems);
  }
  for (const [key, value] of Object.entries(props.tags ?? {})) {
    if (key.trim() === '' || key.length > 128) problems.push(`tag key '${key}' must be 1 to 128 characters`);
    if (typeof value !== 'string' || value.length > 256) problems.push(`tag '${key}' must have a string value of at most 256 characters`);
  }
}

/** Normalises the target; pushes a problem (and returns undefined) when it is missing or ambiguous. */
export function resolveTarget(props: SfnRedshiftTaskerProps, problems: string[]): ResolvedTarget | undefined {
  const modern = props.redshiftTarget as (Record<string, string | undefined> & object) | undefined;
  const legacy = props.redshiftTargetProps;
  if (modern !== undefined && legacy !== undefined) {
    problems.push("give redshiftTarget or redshiftTargetProps (the original library's shape), not both");
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
    problems.push(
      'a Redshift target is required: give redshiftTarget ({ clusterIdentifier, database, dbUser | secretArn } or { workgroupName, ' +
        'database })',
    );
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
      problems.push(
        `redshiftTarget.clusterIdentifier '${clusterIdentifier}' is not a valid cluster identifier (lower-case letters, digits, hyphens)`,
      );
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
  for (const [name, value] of [
    ['dbUser', dbUser],
    ['secretArn', secretArn],
    ['workgroupArn', workgroupArn],
  ] as const) {
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
