/**
 * Events onto the target's default bus and messages off the module's queue, with the one emulator
 * workaround they need: moto treats a schedule-only rule (the sweep) as matching every event, and cannot
 * deliver to its Lambda target (PutEvents then fails with HTTP 500). While events are sent, the sweep
 * rule's target is detached and put back as it was, so the state matches again afterwards.
 */
import {
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { ConformanceClients } from './aws-clients';
import type { ConformanceTarget } from './conformance-target';
import type { StatusEventCase } from './status-events';

/** Runs `send` with the sweep rule's targets detached (on the emulator only), then puts them back. */
export async function withSweepDetached<T>(
  target: ConformanceTarget,
  clients: ConformanceClients,
  sweepRule: string,
  send: () => Promise<T>,
): Promise<T> {
  if (target.mode !== 'emulator') return send();
  const { Targets: targets = [] } = await clients.eventBridge.send(new ListTargetsByRuleCommand({ Rule: sweepRule }));
  await clients.eventBridge.send(new RemoveTargetsCommand({ Rule: sweepRule, Ids: targets.map((t: Target) => t.Id!) }));
  try {
    return await send();
  } finally {
    await clients.eventBridge.send(new PutTargetsCommand({ Rule: sweepRule, Targets: targets }));
  }
}

/** PutEvents on the default bus; the event ids EventBridge assigned, in order. Fails on any refused entry. */
export async function putEvents(clients: ConformanceClients, cases: readonly StatusEventCase[]): Promise<string[]> {
  const ids: string[] = [];
  for (let at = 0; at < cases.length; at += 10) {
    const entries = cases.slice(at, at + 10).map((c) => ({ Source: c.source, DetailType: c.detailType, Detail: JSON.stringify(c.detail) }));
    const result = await clients.eventBridge.send(new PutEventsCommand({ Entries: entries }));
    if (result.FailedEntryCount) throw new Error(`PutEvents refused entries: ${JSON.stringify(result.Entries)}`);
    ids.push(...(result.Entries ?? []).map((entry) => entry.EventId!));
  }
  return ids;
}

/**
 * Every message the queue holds now: receives until `quietReceives` long polls in a row bring nothing,
 * deleting what it got. Each message's body is the delivered event.
 */
export async function drainQueue(clients: ConformanceClients, queueUrl: string, quietReceives = 2): Promise<Message[]> {
  const got: Message[] = [];
  for (let quiet = 0; quiet < quietReceives; ) {
    const { Messages: messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    quiet = messages.length === 0 ? quiet + 1 : 0;
    got.push(...messages);
    if (messages.length > 0) {
      await clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  }
  return got;
}
