/**
 * The tracking table (contract TABLE), split at the seams its callers use (as Powertools' persistence layer
 * splits its store): the call lifecycle (`calls`: register, record, read, orphan cancel), the completion's
 * claim and callback records (`callbacks`), the index queries (`indexes`), the singleton locks (`locks`) and the
 * one-off pass over failed callbacks an older release left unindexed (`legacy`). All share one DynamoDB client
 * and table.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CallRecords } from './call-records';
import { CallbackRecords } from './callback-records';
import { IndexQueries } from './index-queries';
import { LegacyCallbacks } from './legacy-callbacks';
import { SingletonLocks } from './singleton-locks';

export type { CallbackState, CallStatus, CloudFormationTarget, IndexedCall, TerminalState, TrackedCall } from './tracked-call';

export class TrackingTable {
  /** Register, record a failed start, read, orphan cancel (call-records.ts). */
  readonly calls: CallRecords;
  /** The completion's claim and callback records (callback-records.ts). */
  readonly callbacks: CallbackRecords;
  /** The execution, running and pending-callback index queries (index-queries.ts). */
  readonly indexes: IndexQueries;
  /** The singleton locks (singleton-locks.ts). */
  readonly locks: SingletonLocks;
  /** Failed callbacks an older release left out of every index (legacy-callbacks.ts). */
  readonly legacy: LegacyCallbacks;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.calls = new CallRecords(db, tableName);
    this.callbacks = new CallbackRecords(db, tableName);
    this.indexes = new IndexQueries(db, tableName);
    this.locks = new SingletonLocks(db, tableName);
    this.legacy = new LegacyCallbacks(db, tableName);
  }
}
