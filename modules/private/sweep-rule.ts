/** The schedule that invokes the completer with a `Scheduled Event`, which the handler treats as "run the sweep". */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { Construct } from 'constructs';
import { ruleInvokesFunction } from './rule-invokes-function';

export function createSweepRule(
  scope: Construct,
  input: { name: string; schedule: string; completer: LambdaFunction; tags?: Record<string, string> },
): CloudwatchEventRule {
  const rule = new CloudwatchEventRule(scope, 'SweepRule', {
    name: input.name,
    description: 'Looks for statements of this tasker whose completion event was lost',
    scheduleExpression: input.schedule,
    tags: input.tags,
  });
  ruleInvokesFunction(scope, {
    ids: { target: 'SweepRuleTarget', permission: 'SweepInvokePermission' },
    rule,
    fn: input.completer,
    targetId: 'sweep',
    statementId: 'AllowSweepSchedule',
  });
  return rule;
}
