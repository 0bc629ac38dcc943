/**
 * The optional rule (prop `cancelOnExecutionEnd`) that sends the "Execution Status Change" events of the
 * tasker's state machines, for the statuses that orphan a running statement, to the function, which
 * cancels that execution's running statements at once (functions/tasker/routes/execution-ended.ts). Given as a
 * Terraform reference, `enabled` decides at plan time: the rule, its target and permission get `count`.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { Fn, Token } from 'cdktf';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { Construct } from 'constructs';
import { EXECUTION_EVENT } from '../../functions/shared/contract';
import { ruleInvokesFunction } from './rule-invokes-function';
import { terraformJson } from './terraform-json';

/** The event pattern: the ended statuses of these state machines' executions. */
export function executionEndedEventPattern(stateMachineArns: readonly string[]): Record<string, unknown> {
  return {
    source: [EXECUTION_EVENT.SOURCE],
    'detail-type': [EXECUTION_EVENT.DETAIL_TYPE],
    detail: { status: [...EXECUTION_EVENT.ENDED_STATUSES], stateMachineArn: stateMachineArns },
  };
}

export function createExecutionEndRule(
  scope: Construct,
  input: { enabled: boolean; ruleName: string; stateMachineArns: readonly string[]; fn: LambdaFunction; tags?: Record<string, string> },
): CloudwatchEventRule {
  const count = Token.isUnresolved(input.enabled) ? Token.asNumber(Fn.conditional(input.enabled, 1, 0)) : undefined;
  const rule = new CloudwatchEventRule(scope, 'ExecutionEndRule', {
    count,
    name: input.ruleName,
    description:
      "Executions of the tasker's state machines that ended (ABORTED, TIMED_OUT, FAILED): their running statements are cancelled",
    // `terraformJson`: `stateMachineArns` may be a list reference, which only `jsonencode` can hold.
    eventPattern: terraformJson(executionEndedEventPattern(input.stateMachineArns)),
    tags: input.tags,
  });
  ruleInvokesFunction(scope, {
    ids: { target: 'ExecutionEndRuleTarget', permission: 'ExecutionEndInvokePermission' },
    rule,
    fn: input.fn,
    targetId: 'cancel-statements',
    statementId: 'AllowExecutionEndRule',
    count,
  });
  return rule;
}
