/**
 * What every route of the handler works with: the configuration, the tracking table, the Data API and Step
 * Functions, built once per container (index.ts) and passed down, as Powertools' utilities take their
 * persistence layer. Endpoints follow the SDK's own settings, so `AWS_ENDPOINT_URL_<SERVICE>` points the
 * clients at local stand-ins.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfig, type TaskerConfig } from './config';
import { DataApi } from './data-api';
import { TrackingTable } from '../table/tracking-table';

export interface TaskerContext {
  config: TaskerConfig;
  table: TrackingTable;
  dataApi: DataApi;
  /** Task callbacks and heartbeats (callbacks.ts, heartbeat.ts). */
  stepFunctions: SFNClient;
  /** Releases the SDK clients' connections (tests build a new context when they change the environment). */
  destroy(): void;
}

/**
 * Reads and validates the configuration from `env`, then builds the clients: a configuration error
 * (a deployment error every invocation would hit) is thrown before any client exists or any call is made.
 * The SDK clients take their own settings (region, endpoints, retries) from `process.env`.
 */
export function createTaskerContext(env: Record<string, string | undefined> = process.env): TaskerContext {
  const config = readConfig(env);
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const redshiftData = new RedshiftDataClient({});
  const stepFunctions = new SFNClient({});
  return {
    config,
    table: new TrackingTable(dynamo, config.tableName),
    dataApi: new DataApi(redshiftData, config.target),
    stepFunctions,
    destroy() {
      dynamo.destroy();
      redshiftData.destroy();
      stepFunctions.destroy();
    },
  };
}
