/**
 * The legacy adapter for the grouped options: each deprecated flat prop (`lambdaMemorySize`, `logLevel`,
 * `rolePath`, `encryptionKey`, ...) maps into its grouped or renamed spelling, so the rest of the checks
 * read one spelling only. Giving both spellings of one option is a problem, not a silent pick.
 */
import type { SfnRedshiftTaskerProps, TaskerFunctionOptions, TaskerLoggingOptions, TaskerRoleOptions } from '../tasker-props';

/** The options of the props in their current spelling, deprecated flat names mapped in. */
export interface GroupedOptions {
  readonly function: TaskerFunctionOptions;
  readonly logging: TaskerLoggingOptions;
  readonly role: TaskerRoleOptions;
  /** The key given for this tasker (`encryptionKeyArn`, or the deprecated `encryptionKey`). */
  readonly encryptionKey?: { readonly arn: string; readonly propName: 'encryptionKeyArn' | 'encryptionKey' };
}

export function groupedOptions(props: SfnRedshiftTaskerProps, problems: string[]): GroupedOptions {
  const either = <T>(current: T | undefined, currentName: string, legacy: T | undefined, legacyName: string): T | undefined => {
    if (current !== undefined && legacy !== undefined) problems.push(`give ${currentName} or the deprecated ${legacyName}, not both`);
    return current ?? legacy;
  };
  const fn = props.function ?? {};
  const logging = props.logging ?? {};
  const role = props.role ?? {};
  const keyArn = either(props.encryptionKeyArn, 'encryptionKeyArn', props.encryptionKey, 'encryptionKey');
  return {
    function: {
      memorySize: either(fn.memorySize, 'function.memorySize', props.lambdaMemorySize, 'lambdaMemorySize'),
      timeout: either(fn.timeout, 'function.timeout', props.lambdaTimeout, 'lambdaTimeout'),
      reservedConcurrency: either(fn.reservedConcurrency, 'function.reservedConcurrency', props.reservedConcurrency, 'reservedConcurrency'),
      architecture: either(fn.architecture, 'function.architecture', props.architecture, 'architecture'),
      tracing: either(fn.tracing, 'function.tracing', props.tracing, 'tracing'),
      vpcConfig: either(fn.vpcConfig, 'function.vpcConfig', props.vpcConfig, 'vpcConfig'),
    },
    logging: {
      level: either(logging.level, 'logging.level', props.logLevel, 'logLevel'),
      format: either(logging.format, 'logging.format', props.logFormat, 'logFormat'),
      retentionDays: either(logging.retentionDays, 'logging.retentionDays', props.logRetentionDays, 'logRetentionDays'),
    },
    role: {
      permissionsBoundary: either(role.permissionsBoundary, 'role.permissionsBoundary', props.permissionsBoundary, 'permissionsBoundary'),
      path: either(role.path, 'role.path', props.rolePath, 'rolePath'),
    },
    encryptionKey:
      keyArn === undefined
        ? undefined
        : { arn: keyArn, propName: props.encryptionKeyArn !== undefined ? 'encryptionKeyArn' : 'encryptionKey' },
  };
}
