/**
 * The handler's settings, read from the environment the construct sets (names in contract ENV) and
 * validated once per container (tasker-context.ts): a missing table or an ambiguous Redshift target is a deployment error
 * that every invocation would hit, so it fails loudly and early.
 */
import { DEFAULTS, ENV, LIMITS } from '../shared/contract';
import { ConfigurationError } from './errors';

/** Where statements run: a provisioned cluster (db user or secret) or a serverless workgroup. */
export type RedshiftTarget =
  | { kind: 'cluster'; clusterIdentifier: string; dbUser?: string; secretArn?: string; database: string }
  | { kind: 'serverless'; workgroupName: string; secretArn?: string; database: string };

export interface TaskerConfig {
  tableName: string;
  target: RedshiftTarget;
  /** Prefix of every statement name this tasker starts. @default DEFAULTS.STATEMENT_NAME_PREFIX */
  statementNamePrefix: string;
  /** Error name of the callback for an ABORTED statement. @default 'FAILED' */
  abortedErrorName: string;
  /** Seconds a completed item is kept (TTL). @default 86400 */
  itemTtlSeconds: number;
  /** Seconds a statement runs without an event before the sweep asks about it. @default 300 */
  sweepGraceSeconds: number;
  /** Call DescribeStatement on success to add hasResultSet/exact duration (one more AWS call). @default false */
  describeOnSuccess: boolean;
  /** Seconds the start waits for the statement before falling back to the event path; 0 = off. @default 1 */
  fastPathSeconds: number;
  /** Send SendTaskHeartbeat from the sweep for every running tracked task. @default true */
  sendHeartbeats: boolean;
  /** Cancel a statement whose task is closed, once. @default true */
  cancelOrphanedStatements: boolean;
}

type Env = Record<string, string | undefined>;

const positiveInteger = (env: Env, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive integer, got '${raw}'`);
  return value;
};

const booleanSetting = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigurationError(`${name} must be 'true' or 'false'`);
  return raw === 'true';
};

const required = (env: Env, name: string): string => {
  const value = env[name];
  if (!value) throw new ConfigurationError(`${name} is required`);
  return value;
};

/** Reads and validates the configuration from `env`. */
export function readConfig(env: Env = process.env): TaskerConfig {
  const database = required(env, ENV.DATABASE);
  const clusterIdentifier = env[ENV.CLUSTER_IDENTIFIER] || undefined;
  const workgroupName = env[ENV.WORKGROUP_NAME] || undefined;
  const dbUser = env[ENV.DB_USER] || undefined;
  const secretArn = env[ENV.SECRET_ARN] || undefined;
  let target: RedshiftTarget;
  if (clusterIdentifier && workgroupName) {
    throw new ConfigurationError(`set ${ENV.CLUSTER_IDENTIFIER} or ${ENV.WORKGROUP_NAME}, not both`);
  } else if (clusterIdentifier) {
    if (!dbUser && !secretArn) throw new ConfigurationError(`a cluster target needs ${ENV.DB_USER} or ${ENV.SECRET_ARN}`);
    if (dbUser && secretArn) throw new ConfigurationError(`set ${ENV.DB_USER} or ${ENV.SECRET_ARN}, not both`);
    target = { kind: 'cluster', clusterIdentifier, dbUser, secretArn, database };
  } else if (workgroupName) {
    target = { kind: 'serverless', workgroupName, secretArn, database };
  } else {
    throw new ConfigurationError(`${ENV.CLUSTER_IDENTIFIER} or ${ENV.WORKGROUP_NAME} is required`);
  }

  const abortedErrorName = env[ENV.ABORTED_ERROR_NAME] || DEFAULTS.ABORTED_ERROR_NAME;
  if (abortedErrorName.length > 256) throw new ConfigurationError(`${ENV.ABORTED_ERROR_NAME} must be at most 256 characters`);
  const statementNamePrefix = env[ENV.STATEMENT_NAME_PREFIX] || DEFAULTS.STATEMENT_NAME_PREFIX;
  // The name is prefix + a 64-character key and must stay within the Data API's 500 characters.
  if (statementNamePrefix.length > 400) throw new ConfigurationError(`${ENV.STATEMENT_NAME_PREFIX} must be at most 400 characters`);

  const fastPathRaw = env[ENV.FAST_PATH_SECONDS];
  const fastPathSeconds = fastPathRaw === undefined || fastPathRaw === '' ? DEFAULTS.FAST_PATH_SECONDS : Number(fastPathRaw);
  if (!Number.isInteger(fastPathSeconds) || fastPathSeconds < 0 || fastPathSeconds > LIMITS.WAIT_TIME_SECONDS_MAX) {
    throw new ConfigurationError(`${ENV.FAST_PATH_SECONDS} must be a whole number from 0 to ${LIMITS.WAIT_TIME_SECONDS_MAX}, got '${fastPathRaw}'`);
  }

  return {
    tableName: required(env, ENV.TABLE_NAME),
    target,
    statementNamePrefix,
    abortedErrorName,
    itemTtlSeconds: positiveInteger(env, ENV.ITEM_TTL_SECONDS, DEFAULTS.ITEM_TTL_SECONDS),
    sweepGraceSeconds: positiveInteger(env, ENV.SWEEP_GRACE_SECONDS, DEFAULTS.SWEEP_GRACE_SECONDS),
    describeOnSuccess: booleanSetting(env, ENV.DESCRIBE_ON_SUCCESS, DEFAULTS.DESCRIBE_ON_SUCCESS),
    fastPathSeconds,
    sendHeartbeats: booleanSetting(env, ENV.SEND_HEARTBEATS, DEFAULTS.SEND_HEARTBEATS),
    cancelOrphanedStatements: booleanSetting(env, ENV.CANCEL_ORPHANED_STATEMENTS, DEFAULTS.CANCEL_ORPHANED_STATEMENTS),
  };
}
