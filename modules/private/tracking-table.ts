/** The DynamoDB table tracking running statements; keys, indexes and projections come from the contract. */
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { Construct } from 'constructs';
import { TABLE, TABLE_DEFINITION } from '../../functions/shared/contract';

/** The table `name`, encrypted with `keyArn`, as the handler's tests and local runs build it too. */
export function createTrackingTable(scope: Construct, name: string, keyArn: string, tags: Record<string, string> | undefined): DynamodbTable {
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
