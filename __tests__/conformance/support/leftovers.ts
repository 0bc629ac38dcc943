/** After destroy: nothing named with the suite's prefix is left on the target (tables, queues, rules). */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { conformanceClients } from './aws-clients';
import type { ConformanceTarget } from './conformance-target';

export async function expectNothingLeft(target: ConformanceTarget, namePrefix: string): Promise<void> {
  const clients = conformanceClients(target);
  try {
    const tables = (await clients.dynamoDb.send(new ListTablesCommand({}))).TableNames ?? [];
    expect(tables.filter((name) => name.startsWith(namePrefix))).toEqual([]);
    expect((await clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: namePrefix }))).QueueUrls ?? []).toEqual([]);
    expect((await clients.eventBridge.send(new ListRulesCommand({ NamePrefix: namePrefix }))).Rules ?? []).toEqual([]);
  } finally {
    clients.destroy();
  }
}
