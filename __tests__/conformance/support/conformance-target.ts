/**
 * Where the conformance suite applies: `moto_server` on this machine (the default), or a real AWS account
 * (`CONFORMANCE_TARGET=aws`; docs/conformance.md). Also the provider block each Terraform root uses.
 */
import { randomBytes } from 'node:crypto';

export type ConformanceMode = 'emulator' | 'aws';

export interface ConformanceTarget {
  readonly mode: ConformanceMode;
  readonly region: string;
  /** Prefix of every name the suite creates (the module's `name_prefix`; the example stacks' names are fixed). */
  readonly namePrefix: string;
  /** The emulator's endpoint; undefined against a real account. */
  readonly endpoint?: string;
}

/** Thrown for a bad `CONFORMANCE_*` setting, before anything is created. */
export class ConformanceSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceSettingError';
  }
}

/** The account mode asked for by the environment. */
export function conformanceMode(env: NodeJS.ProcessEnv = process.env): ConformanceMode {
  const value = env.CONFORMANCE_TARGET ?? 'emulator';
  if (value !== 'emulator' && value !== 'aws') {
    throw new ConformanceSettingError(`CONFORMANCE_TARGET must be "emulator" or "aws", got "${value}"`);
  }
  return value;
}

/**
 * The module's `name_prefix`: `CONFORMANCE_NAME_PREFIX` (required against a real account, so nothing is
 * created under a name the user did not choose), else `conf-<random>` on the emulator.
 */
export function conformanceNamePrefix(mode: ConformanceMode, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.CONFORMANCE_NAME_PREFIX;
  if (given === undefined || given === '') {
    if (mode === 'aws')
      throw new ConformanceSettingError(
        'CONFORMANCE_TARGET=aws needs CONFORMANCE_NAME_PREFIX (the name_prefix of everything the suite creates)',
      );
    return `conf-${randomBytes(3).toString('hex')}`;
  }
  // The module's own rule is checked by Terraform; this only keeps the derived "-b" prefix valid too.
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(given)) {
    throw new ConformanceSettingError(
      `CONFORMANCE_NAME_PREFIX must be lower-case letters, digits and hyphens, start with a letter, at most 21 characters; got "${given}"`,
    );
  }
  return given;
}

/** The services the applied resources and the handler use, by the aws provider's `endpoints` key. */
export const EMULATED_SERVICES = ['cloudwatch', 'events', 'logs', 'dynamodb', 'iam', 'kms', 'lambda', 'sqs', 'sts', 'sns', 'sfn'] as const;

/**
 * The `provider "aws"` block (Terraform JSON). On the emulator: dummy keys, every service at its endpoint and
 * no STS or metadata lookups; against AWS: the region only, credentials from the environment as usual.
 */
export function awsProviderBlock(target: ConformanceTarget): Record<string, unknown> {
  if (target.mode === 'aws') return { region: target.region };
  if (target.endpoint === undefined) throw new ConformanceSettingError('the emulator target needs its endpoint');
  return {
    region: target.region,
    access_key: 'conformance',
    secret_key: 'conformance',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: 'true',
    endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, target.endpoint]))],
  };
}

/**
 * AWS SDK settings for the suite's own clients and the in-process handler: the emulator's endpoint and dummy
 * keys, or (against AWS) only the region, the credentials coming from the environment.
 */
export function sdkEnvironment(target: ConformanceTarget): Record<string, string> {
  if (target.mode === 'aws') return { AWS_REGION: target.region };
  return {
    AWS_REGION: target.region,
    AWS_ACCESS_KEY_ID: 'conformance',
    AWS_SECRET_ACCESS_KEY: 'conformance',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: target.endpoint as string,
  };
}
