/**
 * The environment the local tasker's bundle runs with: what the construct would give the deployed function
 * for the same props (`handlerEnvironment`, the construct's own source), plus the local endpoints and dummy
 * credentials. It is the bundle's private environment (see `loadHandlerBundle`'s `env`), built from a copy of
 * `process.env` without the developer's AWS settings, so nothing local reaches a real account.
 */
import { Token } from 'cdktf';
import { ENV } from '../functions/shared/contract';
import { handlerEnvironment } from '../modules/handler-environment';
import { resolveTaskerConfig } from '../modules/resolve-tasker-config';
import type { ResolvedTaskerConfig } from '../modules/tasker-config';
import type { SfnRedshiftTaskerProps } from '../modules/tasker-props';

/** The props a local tasker uses when none are given. */
export const DEFAULT_LOCAL_PROPS: SfnRedshiftTaskerProps = {
  redshiftTarget: { clusterIdentifier: 'local-cluster', database: 'dev', dbUser: 'etl' },
};

/** Variables naming the Redshift target: a Terraform reference there gets a local placeholder (it names nothing locally). */
const TARGET_VARIABLES: readonly string[] = [ENV.CLUSTER_IDENTIFIER, ENV.WORKGROUP_NAME, ENV.DATABASE, ENV.DB_USER, ENV.SECRET_ARN];

/** Thrown for props a local tasker cannot run with (a Terraform reference in a setting that changes behaviour). */
export class LocalTaskerConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalTaskerConfigurationError';
  }
}

export interface LocalEndpoints {
  region: string;
  dynamoDb: string;
  redshiftData: string;
  sfn: string;
}

export interface TaskerEnvironmentOptions {
  /** The contract's variables, from `contractEnvironment`. */
  contract: Record<string, string>;
  endpoints: LocalEndpoints;
  /** Overrides the props' log level (tests usually want none). */
  logLevel?: string;
  /** More variables, last (they win). */
  extra?: Record<string, string>;
}

/** Resolves the props as the construct does, with the construct id `local` (so the default name prefix is `local`). */
export function resolveLocalConfig(props: SfnRedshiftTaskerProps): ResolvedTaskerConfig {
  return resolveTaskerConfig('local', props);
}

/**
 * The contract's variables for `props`, as the construct sets them. Checked before anything starts: a
 * Terraform reference in a setting that changes behaviour throws `LocalTaskerConfigurationError`.
 */
export function contractEnvironment(
  config: ResolvedTaskerConfig,
  names: { tableName: string; functionName: string },
): Record<string, string> {
  const contract = handlerEnvironment(config, names);
  const references: string[] = [];
  for (const [name, value] of Object.entries(contract)) {
    if (!Token.isUnresolved(value)) continue;
    if (TARGET_VARIABLES.includes(name)) contract[name] = `local-${name.toLowerCase().replace(/_/g, '-')}`;
    else references.push(name);
  }
  if (references.length > 0) {
    throw new LocalTaskerConfigurationError(
      `props give Terraform references for ${references.join(', ')}: a local tasker needs plain values for settings that change its ` +
        `behaviour`,
    );
  }
  return contract;
}

/**
 * The AWS SDK settings that send the handler's clients to the local services: region, dummy credentials, no
 * instance metadata, and `AWS_ENDPOINT_URL_*` per service. The one place the local kit, the handler test
 * harness and the bench (through `inProcessTaskerEnvironment`) wire the handler to local endpoints.
 */
export function localAwsEnvironment(endpoints: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoints.redshiftData,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
  };
}

/**
 * The variables for a handler that runs in this process (the handler test harness, the bench), for
 * `assignProcessEnv`: the local endpoints, no AWS session or profile of the developer's, and the contract's
 * variables as the construct sets them for `props` — so these runs use exactly the environment the construct gives.
 */
export function inProcessTaskerEnvironment(
  props: SfnRedshiftTaskerProps,
  names: { tableName: string; functionName: string },
  endpoints: LocalEndpoints,
): Record<string, string | undefined> {
  return {
    ...localAwsEnvironment(endpoints),
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    ...contractEnvironment(resolveLocalConfig(props), names),
  };
}

/** The bundle's whole environment: inherited non-AWS variables, the local endpoints, the contract, then `extra`. */
export function taskerEnvironment(options: TaskerEnvironmentOptions): Record<string, string> {
  return {
    ...inheritedEnvironment(),
    ...localAwsEnvironment(options.endpoints),
    ...options.contract,
    ...(options.logLevel === undefined ? {} : { [ENV.LOG_LEVEL]: options.logLevel }),
    ...options.extra,
  };
}

/** `process.env` without AWS settings (credentials, profile, region, endpoints) and the contract's variables. */
function inheritedEnvironment(): Record<string, string> {
  const contractNames = new Set<string>(Object.values(ENV));
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || contractNames.has(name)) continue;
    // AWS_SDK_* only tunes the SDK itself (e.g. its Node version warning).
    if (name.startsWith('AWS_') && !name.startsWith('AWS_SDK_')) continue;
    inherited[name] = value;
  }
  return inherited;
}

/**
 * Sets (or, for `undefined`, removes) variables of `process.env`, for a handler run in this process (the test
 * harness, the bench) rather than as a bundle with its own environment.
 */
export function assignProcessEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** Takes a copy of `process.env`; the function returned puts it back exactly (added variables removed). */
export function saveProcessEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}
