/**
 * Scenario (c): Data API-shaped status events on the target's bus. The applied rule (an EventBridge
 * implementation nobody here wrote) and the local kit's matcher (`matchesStatementStatusEvent`) must route
 * the same events, event by event, and only this tasker's terminal ones.
 */
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { matchesStatementStatusEvent, statementStatusEventPattern } from '../../../modules/event-pattern';
import { conformanceClients } from './aws-clients';
import { drainQueue, putEvents, withSweepDetached } from './bus-and-queue';
import type { ConformanceTarget } from './conformance-target';
import { deliveredEvent, routingCases } from './status-events';

export interface TaskerOutputs {
  statement_name_prefix: string;
  event_rule_name: string;
  sweep_rule_name: string;
  queue_url: string;
  queue_arn: string;
  table_name: string;
  function_name: string;
}

export async function expectRoutingAgreesWithLocalMatcher(target: ConformanceTarget, tasker: TaskerOutputs): Promise<void> {
  const clients = conformanceClients(target);
  try {
    const pattern = statementStatusEventPattern(tasker.statement_name_prefix);
    // The local kit matches with the very pattern the module deployed.
    const rule = await clients.eventBridge.send(new DescribeRuleCommand({ Name: tasker.event_rule_name }));
    expect(JSON.parse(rule.EventPattern!)).toEqual(pattern);

    const cases = routingCases(tasker.statement_name_prefix);
    const ids = await withSweepDetached(target, clients, tasker.sweep_rule_name, () => putEvents(clients, cases));
    const received = await drainQueue(clients, tasker.queue_url);
    const receivedIds = new Set(received.map((message) => (JSON.parse(message.Body!) as { id: string }).id));

    const verdicts = cases.map((c, i) => ({
      label: c.label,
      emulatorRule: receivedIds.has(ids[i]),
      localMatcher: matchesStatementStatusEvent(pattern, deliveredEvent(c, ids[i])),
    }));
    // Event by event, so a disagreement names its case.
    expect(verdicts.filter((v) => v.emulatorRule !== v.localMatcher)).toEqual([]);
    expect(verdicts.filter((v) => v.localMatcher).map((v) => v.label)).toEqual(['own FINISHED', 'own FAILED', 'own ABORTED']);
    expect(received).toHaveLength(3);
  } finally {
    clients.destroy();
  }
}
