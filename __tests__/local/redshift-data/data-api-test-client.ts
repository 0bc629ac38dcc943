/**
 * Shared by the local Data API test files: start services on an engine, talk to them with the real SDK
 * client, and stop every service a test started.
 */
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  RedshiftDataClient,
  type DescribeStatementCommandOutput,
} from '@aws-sdk/client-redshift-data';
import {
  startLocalRedshiftData,
  type LocalRedshiftData,
  type LocalRedshiftDataOptions,
  type SqlEngine,
  type StatusChangeEvent,
} from '../../../local/redshift-data';

export const CLUSTER = { ClusterIdentifier: 'local-cluster', Database: 'dev', DbUser: 'etl' };
export const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

export interface StartedDataApi {
  api: LocalRedshiftData;
  client: RedshiftDataClient;
  events: StatusChangeEvent[];
}

const started: LocalRedshiftData[] = [];
let tableSeq = 0;

/** A table name no other test in this process uses. */
export const uniqueTable = (): string => `t_${process.pid}_${++tableSeq}`;

/** Starts a service on `engine`, records its events, and returns a real SDK client for it. */
export async function startDataApi(engine: SqlEngine, options: LocalRedshiftDataOptions = {}): Promise<StartedDataApi> {
  const api = await startLocalRedshiftData({ engine, ...options });
  started.push(api);
  const events: StatusChangeEvent[] = [];
  api.onEvent((e) => events.push(e));
  const client = new RedshiftDataClient({ endpoint: api.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  return { api, client, events };
}

/** Stops every service started since the last call (use in `afterEach`). */
export async function stopStartedDataApis(): Promise<void> {
  await Promise.all(started.splice(0).map((api) => api.stop()));
}

/** Long-polls DescribeStatement until the statement ends. */
export function finished(client: RedshiftDataClient, Id: string): Promise<DescribeStatementCommandOutput> {
  return client.send(new DescribeStatementCommand({ Id, WaitTimeSeconds: 10 }));
}

/** Runs one statement on the cluster target and waits for it to end. */
export async function run(
  client: RedshiftDataClient,
  Sql: string,
  extra: Record<string, unknown> = {},
): Promise<DescribeStatementCommandOutput> {
  const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql, ...extra }));
  return finished(client, Id!);
}
