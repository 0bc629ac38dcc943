import { createHash } from 'node:crypto';
import { sqsRecord } from '../../../local/event-delivery/sqs-record';

describe('sqsRecord', () => {
  const queueArn = 'arn:aws:sqs:eu-west-1:111122223333:status-events';

  it('shapes a record as the event source mapping sends it', () => {
    const record = sqsRecord({ body: '{"a":1}', queueArn, messageId: 'm-1', receiveCount: 3, sentAt: 1_000, firstReceivedAt: 2_000 });
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'm-1#3',
      body: '{"a":1}',
      attributes: {
        ApproximateReceiveCount: '3',
        SentTimestamp: '1000',
        SenderId: 'AIDAEVENTBRIDGE',
        ApproximateFirstReceiveTimestamp: '2000',
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update('{"a":1}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'eu-west-1',
    });
  });

  it('defaults: a random message id, first receive, sent now and first received when sent', () => {
    const before = Date.now();
    const [one, two] = [sqsRecord({ body: 'x', queueArn }), sqsRecord({ body: 'x', queueArn })];
    expect(one.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(one.messageId).not.toBe(two.messageId);
    expect(one.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(one.attributes.SentTimestamp)).toBeGreaterThanOrEqual(before);
    expect(one.attributes.ApproximateFirstReceiveTimestamp).toBe(one.attributes.SentTimestamp);
  });
});
