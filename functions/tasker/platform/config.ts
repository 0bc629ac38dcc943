/**
 * The handler's settings, read from the environment the construct sets (names in contract ENV) and
 * validated once per container (tasker-context.ts): a missing table or an ambiguous Redshift target is a deployment error
 * that every invocation would hit, so it fails loudly and early.
 */
import { ENV } from '../../shared/contract';
import { TARGET_FIELDS, targetProblems, type CheckedTarget, type TargetField } from '../../shared/redshift-target';
import { SETTINGS, settingProblem, STATEMENT_NAME_PREFIX_BASE, type Setting } from '../../shared/settings';
import { ConfigurationError } from './errors';

export interface TaskerConfig {
  tableName: string;
  /** Where statements run: a provisioned cluster (db user or secret) or a Serverless workgroup. */
  target: CheckedTarget;
  /** Prefix of every statement name this tasker starts. @default STATEMENT_NAME_PREFIX_BASE */
  statementNamePrefix: string;
  /** Error name of the callback for an ABORTED statement. @default SETTINGS.abortedErrorName */
  abortedErrorName: string;
  /** Seconds a completed item is kept (TTL). @default SETTINGS.itemTtlSeconds */
  itemTtlSeconds: number;
  /** Seconds a statement runs without an event before the sweep asks about it. @default SETTINGS.sweepGraceSeconds */
  sweepGraceSeconds: number;
  /** Call DescribeStatement on success to add hasResultSet/exact duration (one more AWS call). @default SETTINGS.describeOnSuccess */
  describeOnSuccess: boolean;
  /** Seconds the start waits for the statement before falling back to the event path; 0 = off. @default SETTINGS.fastPathSeconds */
  fastPathSeconds: number;
  /** Send SendTaskHeartbeat from the sweep for every running tracked task. @default SETTINGS.sendHeartbeats */
  sendHeartbeats: boolean;
  /** Cancel a statement whose task is closed, once. @default SETTINGS.cancelOrphanedStatements */
  cancelOrphanedStatements: boolean;
  /** Seconds after the start the sweep stops retrying an unanswered callback. @default SETTINGS.callbackMaxAgeSeconds */
  callbackMaxAgeSeconds: number;
}

type Env = Record<string, string | undefined>;

/** A setting's value from `env` (its default when unset), checked against the shared table. */
function fromEnv<T>(env: Env, setting: Setting & { readonly env: string; readonly default: T }): T {
  const raw = env[setting.env];
  if (raw === undefined || raw === '') return setting.default;
  const value =
    setting.type === 'whole' ? Number(raw) : setting.type === 'flag' ? ({ true: true, false: false }[raw.toLowerCase()] ?? raw) : raw;
  const problem = settingProblem(setting.env, setting, value);
  if (problem !== undefined) throw new ConfigurationError(problem);
  return value as T;
}

const required = (env: Env, name: string): string => {
  const value = env[name];
  if (!value) throw new ConfigurationError(`${name} is required`);
  return value;
};

/** The target from the environment, by the shared rules (`TARGET_RULES`). */
function readTarget(env: Env): CheckedTarget {
  const value = (field: TargetField): string | undefined => {
    const name = TARGET_FIELDS[field].env;
    return name === undefined ? undefined : env[name] || undefined;
  };
  const problems = targetProblems(
    (field) => (value(field) === undefined ? 'absent' : 'present'),
    (field) => TARGET_FIELDS[field].env ?? field,
  );
  if (problems.length > 0) throw new ConfigurationError(problems.join('; '));
  const database = required(env, ENV.DATABASE);
  const clusterIdentifier = value('clusterIdentifier');
  return clusterIdentifier !== undefined
    ? { kind: 'cluster', clusterIdentifier, dbUser: value('dbUser'), secretArn: value('secretArn'), database }
    : { kind: 'workgroup', workgroupName: value('workgroupName') as string, secretArn: value('secretArn'), database };
}

/** Reads and validates the configuration from `env`. */
export function readConfig(env: Env = process.env): TaskerConfig {
  const target = readTarget(env);
  const statementNamePrefix = env[ENV.STATEMENT_NAME_PREFIX] || STATEMENT_NAME_PREFIX_BASE;
  // The name is prefix + a 64-character key and must stay within the Data API's 500 characters.
  if (statementNamePrefix.length > 400) throw new ConfigurationError(`${ENV.STATEMENT_NAME_PREFIX} must be at most 400 characters`);
  return {
    tableName: required(env, ENV.TABLE_NAME),
    target,
    statementNamePrefix,
    abortedErrorName: fromEnv(env, SETTINGS.abortedErrorName),
    itemTtlSeconds: fromEnv(env, SETTINGS.itemTtlSeconds),
    sweepGraceSeconds: fromEnv(env, SETTINGS.sweepGraceSeconds),
    describeOnSuccess: fromEnv(env, SETTINGS.describeOnSuccess),
    fastPathSeconds: fromEnv(env, SETTINGS.fastPathSeconds),
    sendHeartbeats: fromEnv(env, SETTINGS.sendHeartbeats),
    cancelOrphanedStatements: fromEnv(env, SETTINGS.cancelOrphanedStatements),
    callbackMaxAgeSeconds: fromEnv(env, SETTINGS.callbackMaxAgeSeconds),
  };
}
