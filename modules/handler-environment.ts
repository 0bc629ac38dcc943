/**
 * The tasker function's contract environment, from the resolved props: one source for the construct (the
 * Lambda's `environment.variables`) and the local kit (the in-process bundle's environment), so settings such
 * as `abortedErrorName` and `describeOnSuccess` behave locally as deployed.
 */
import { Fn, Token } from 'cdktf';
import { ENV } from '../functions/shared/contract';
import { withoutNulls } from './private/plan-time-choice';
import type { ResolvedTaskerConfig } from './tasker-config';

export interface HandlerEnvironmentNames {
  /** The tracking table's name (a Terraform reference in the construct). */
  tableName: string;
  /** The function's name, which its logs carry as the service name. */
  functionName: string;
  /** The function's role name: the fast path's `detail.principal` is its session (functions/tasker/platform/principal.ts). */
  roleName?: string;
}

/** The contract's environment variables for one tasker function. */
export function handlerEnvironment(config: ResolvedTaskerConfig, names: HandlerEnvironmentNames): Record<string, string> {
  const { target } = config;
  const vars: Record<string, string> = {
    [ENV.TABLE_NAME]: names.tableName,
    [ENV.DATABASE]: target.database,
    [ENV.STATEMENT_NAME_PREFIX]: config.statementNamePrefix,
    [ENV.ABORTED_ERROR_NAME]: config.abortedErrorName,
    [ENV.ITEM_TTL_SECONDS]: asText(config.itemTtlSeconds),
    [ENV.SWEEP_GRACE_SECONDS]: asText(config.sweepGraceSeconds),
    [ENV.DESCRIBE_ON_SUCCESS]: asText(config.describeOnSuccess),
    [ENV.FAST_PATH_SECONDS]: asText(config.fastPathSeconds),
    [ENV.LOG_LEVEL]: config.logLevel,
    [ENV.SERVICE_NAME]: names.functionName,
    [ENV.SEND_HEARTBEATS]: asText(config.sendHeartbeats),
    [ENV.CANCEL_ORPHANED_STATEMENTS]: asText(config.cancelOrphanedStatements),
    [ENV.CALLBACK_MAX_AGE_SECONDS]: asText(config.callbackMaxAgeSeconds),
    [ENV.TASKER_NAME]: config.namePrefix,
    [ENV.METRICS_NAMESPACE]: config.metricsNamespace,
  };
  if (Token.isUnresolved(config.metrics)) vars[ENV.METRICS_DISABLED] = Fn.conditional(config.metrics, 'false', 'true');
  else if (!config.metrics) vars[ENV.METRICS_DISABLED] = 'true';
  // Absent values are left out; `orNull` ones (a plan-time target) are left out by Terraform when null.
  return withoutNulls({
    ...vars,
    [ENV.CLUSTER_IDENTIFIER]: target.kind === 'workgroup' ? undefined : target.clusterIdentifier,
    [ENV.DB_USER]: target.kind === 'workgroup' ? undefined : target.dbUser,
    [ENV.WORKGROUP_NAME]: target.kind === 'cluster' ? undefined : target.workgroupName,
    [ENV.SECRET_ARN]: target.secretArn,
    [ENV.ROLE_NAME]: names.roleName,
  });
}

/** A number or boolean as environment variable text; a reference becomes Terraform's `tostring(...)`. */
function asText(value: number | boolean): string {
  return Token.isUnresolved(value) ? Fn.tostring(value) : String(value);
}
