/**
 * One record of the SQS event Lambda's event source mapping hands to a function, shaped as AWS sends it.
 * Shared by the local delivery path, the handler test harness and the handler bench.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SqsRecord } from './sqs-types';

export interface SqsRecordFields {
  /** The message body (for status-change events: the event as JSON). */
  body: string;
  /** ARN of the queue; its region becomes the record's `awsRegion`. */
  queueArn: string;
  /** The message id, which `batchItemFailures` names. @default a random UUID */
  messageId?: string;
  /** Times the message was received, this delivery included. @default 1 */
  receiveCount?: number;
  /** When the message was sent (ms since the epoch). @default Date.now() */
  sentAt?: number;
  /** When the message was first received (ms since the epoch). @default sentAt */
  firstReceivedAt?: number;
}

export function sqsRecord(fields: SqsRecordFields): SqsRecord {
  const messageId = fields.messageId ?? randomUUID();
  const receiveCount = fields.receiveCount ?? 1;
  const sentAt = fields.sentAt ?? Date.now();
  return {
    messageId,
    receiptHandle: `${messageId}#${receiveCount}`,
    body: fields.body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(sentAt),
      SenderId: 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: String(fields.firstReceivedAt ?? sentAt),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(fields.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: fields.queueArn,
    awsRegion: fields.queueArn.split(':')[3] || 'us-east-1',
  };
}
