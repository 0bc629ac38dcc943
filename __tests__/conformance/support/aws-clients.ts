/**
 * The suite's own AWS SDK clients, pointed at the target: the emulator (its endpoint, dummy keys) or the
 * account the environment's credentials reach.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ConformanceTarget } from './conformance-target';

export interface ConformanceClients {
  readonly dynamoDb: DynamoDBClient;
  readonly eventBridge: EventBridgeClient;
  readonly sqs: SQSClient;
  destroy(): void;
}

export function conformanceClients(target: ConformanceTarget): ConformanceClients {
  const config =
    target.mode === 'emulator'
      ? { region: target.region, endpoint: target.endpoint, credentials: { accessKeyId: 'conformance', secretAccessKey: 'conformance' } }
      : { region: target.region };
  const clients = { dynamoDb: new DynamoDBClient(config), eventBridge: new EventBridgeClient(config), sqs: new SQSClient(config) };
  return {
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
