/**
 * `detail.principal` for the fast path's output: what the Data API's status event names as the identity that ran
 * the statement, this function's role session `arn:<partition>:sts::<account>:assumed-role/<role>/<function>`
 * (Lambda names the session after the function). TASKER_PRINCIPAL wins when set (the local kit); otherwise it is
 * built from TASKER_ROLE_NAME (set by the construct) and the invoked function's ARN.
 */
import { ENV } from '../../shared/contract';

export function statementPrincipal(env: NodeJS.ProcessEnv, invokedFunctionArn: string | undefined): string | undefined {
  if (env[ENV.PRINCIPAL]) return env[ENV.PRINCIPAL];
  const roleName = env[ENV.ROLE_NAME];
  // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]
  const parts = invokedFunctionArn?.split(':') ?? [];
  if (!roleName || parts.length < 7 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
  return `arn:${parts[1]}:sts::${parts[4]}:assumed-role/${roleName}/${parts[6]}`;
}
