/**
 * AWS SDK clients, created once per container (on first use) and reused by every invocation.
 * Endpoints follow the SDK's own settings, so `AWS_ENDPOINT_URL_<SERVICE>` points them at local stand-ins.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { SFNClient } from '@aws-sdk/client-sfn';

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  redshiftData: RedshiftDataClient;
  sfn: SFNClient;
}

let cached: AwsClients | undefined;

export function clients(): AwsClients {
  cached ??= {
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    redshiftData: new RedshiftDataClient({}),
    sfn: new SFNClient({}),
  };
  return cached;
}

/** Drops the clients (tests point the endpoints elsewhere between files or cases). */
export function resetClients(): void {
  if (!cached) return;
  cached.dynamo.destroy();
  cached.redshiftData.destroy();
  cached.sfn.destroy();
  cached = undefined;
}
