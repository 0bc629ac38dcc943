/**
 * An EventBridge rule invoking a function: the target, and the Lambda permission limited to that rule's ARN.
 */
import type { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { Construct } from 'constructs';
import { countedAttribute } from './plan-time-choice';

export interface RuleInvokesFunction {
  /** Construct ids of the target and the permission (they name Terraform addresses: keep them stable). */
  readonly ids: { readonly target: string; readonly permission: string };
  readonly rule: CloudwatchEventRule;
  readonly fn: LambdaFunction;
  readonly targetId: string;
  /** The permission's statement id in the function's resource policy. */
  readonly statementId: string;
  /** The rule's `count`, when a plan-time flag decides whether it exists: the target and permission share it. */
  readonly count?: number;
}

export function ruleInvokesFunction(scope: Construct, input: RuleInvokesFunction): void {
  const { rule, count } = input;
  const ruleAttribute = (name: 'name' | 'arn'): string => (count === undefined ? rule[name] : countedAttribute(rule, name));
  new CloudwatchEventTarget(scope, input.ids.target, { count, rule: ruleAttribute('name'), targetId: input.targetId, arn: input.fn.arn });
  new LambdaPermission(scope, input.ids.permission, {
    count,
    statementId: input.statementId,
    action: 'lambda:InvokeFunction',
    functionName: input.fn.functionName,
    principal: 'events.amazonaws.com',
    sourceArn: ruleAttribute('arn'),
  });
}
