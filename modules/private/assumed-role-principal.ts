/**
 * The identity a Lambda function's statements run as, as the Redshift Data API reports it in a status event's
 * `detail.principal`: the function's role session, `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`,
 * where Lambda names the session after the function. The fast path puts it in its output (TASKER_PRINCIPAL), so
 * fast-path and event outputs agree. Built from values the function already depends on (its role), never from
 * the function itself, so no dependency cycle.
 */
import type { AwsEnvironment } from '../aws-environment';

export function assumedRolePrincipal(env: AwsEnvironment, roleName: string, functionName: string): string {
  return `arn:${env.partition}:sts::${env.accountId}:assumed-role/${roleName}/${functionName}`;
}
