/**
 * Checks the construct's props at synth time and resolves their defaults into one plain config
 * (`SfnRedshiftTasker.config`). Public so the local kit runs the handler with the construct's own rules.
 *
 * Every problem is collected and reported in one `TaskerConfigurationError`, thrown before the
 * construct creates anything. Values that are Terraform tokens (references to other resources or
 * variables) cannot be checked here and are passed through: their checks belong to Terraform (for
 * example `validation` blocks of the variables they come from). Only the settings that decide which
 * resources exist must be plain values. Deprecated spellings are mapped in first (`private/legacy-props.ts`,
 * `private/callback-path.ts`), so everything after reads one spelling.
 */
import { legacyCallbackFields, resolveCallbackPath } from './private/callback-path';
import { groupedOptions } from './private/legacy-props';
import { resolveOperations } from './private/validate-operations';
import {
  checkArnsAndTags,
  checkPlainFlags,
  resolveNamePrefix,
  resolveStatementNamePrefix,
  resolveTarget,
  resolveTuning,
} from './private/validate-props';
import { TaskerConfigurationError, type ResolvedTaskerConfig } from './tasker-config';
import type { SfnRedshiftTaskerProps } from './tasker-props';

/** Validates `props` (for the construct with id `constructId`) and returns the resolved config, or throws `TaskerConfigurationError`. */
export function resolveTaskerConfig(constructId: string, props: SfnRedshiftTaskerProps): ResolvedTaskerConfig {
  const problems: string[] = [];
  const target = resolveTarget(props, problems);
  const namePrefix = resolveNamePrefix(constructId, props, problems);
  checkPlainFlags(props, problems);
  const options = groupedOptions(props, problems);
  const callbackPath = resolveCallbackPath(props, options, problems);
  const statementNamePrefix = resolveStatementNamePrefix(props, callbackPath, namePrefix, problems);
  const tuning = resolveTuning(props, options, callbackPath, problems);
  checkArnsAndTags(props, options, callbackPath, problems);
  const operations = resolveOperations(props, options, problems);

  if (problems.length > 0 || target === undefined) {
    throw new TaskerConfigurationError(constructId, problems);
  }
  return {
    target,
    namePrefix,
    statementNamePrefix,
    callbackPath,
    ...legacyCallbackFields(callbackPath),
    deployDeadLetterQueue: props.deployDeadLetterQueue ?? true,
    separateCompleter: props.separateCompleter ?? false,
    stateMachineArns: props.stateMachineArns,
    tags: { ...(props.tags ?? {}) },
    code: props.code,
    ...tuning,
    ...operations,
  };
}
