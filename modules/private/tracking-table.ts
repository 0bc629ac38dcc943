/** The DynamoDB table tracking running statements; keys, indexes and projections come from the contract. */
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { Construct } from 'constructs';
import { TABLE, TABLE_DEFINITION } from '../../functions/shared/contract';
import type { AwsEnvironment } from '../aws-environment';
import type { ResolvedCallbackPath } from '../tasker-config';
import type { TaskerResourceRef } from '../tasker-props';
import { arnOf } from './policy-document';

/** The table `name`, encrypted with `keyArn`, as the handler's tests and local runs build it too. */
export function createTrackingTable(
  scope: Construct,
  name: string,
  keyArn: string,
  tags: Record<string, string> | undefined,
): DynamodbTable {
  return new DynamodbTable(scope, 'TrackingTable', {
    name,
    billingMode: TABLE_DEFINITION.BILLING_MODE,
    hashKey: TABLE.PARTITION_KEY,
    attribute: TABLE_DEFINITION.KEY_ATTRIBUTES.map((attribute) => ({ name: attribute, type: 'S' })),
    globalSecondaryIndex: TABLE_DEFINITION.GLOBAL_SECONDARY_INDEXES.map((index) => ({
      name: index.name,
      hashKey: index.hashKey,
      rangeKey: index.rangeKey,
      projectionType: index.projectionType,
      nonKeyAttributes: [...index.nonKeyAttributes],
    })),
    ttl: { attributeName: TABLE.TTL_ATTRIBUTE, enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
    pointInTimeRecovery: { enabled: true },
    tags,
  });
}

/** The table a tasker tracks its calls in: the reused path's, an existing one named in the props, or one created here. */
export function trackingTableFor(
  scope: Construct,
  path: ResolvedCallbackPath,
  input: { name: string; env: AwsEnvironment; keyArn: string; tags?: Record<string, string> },
): TaskerResourceRef {
  if (path.kind === 'tasker') return { ...path.owner.trackingTable };
  const existing = path.kind === 'own' ? path.existingTableName : path.tableName;
  if (existing !== undefined) return { name: existing, arn: arnOf(input.env, 'dynamodb', `table/${existing}`) };
  const table = createTrackingTable(scope, input.name, input.keyArn, input.tags);
  return { name: table.name, arn: table.arn };
}
