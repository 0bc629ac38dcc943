import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { startEventDelivery, type EventDeliveryOptions, type LocalEventDelivery } from '../../../local/event-delivery';
import { statementStatusEventPattern } from '../../../modules/event-pattern';
import { createKitClock } from '../../../local/clock';

const PREFIX = 'sfnrs-demo-';
const pattern = statementStatusEventPattern(PREFIX);

let n = 0;
const event = (overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: `evt-${++n}`,
  'detail-type': 'Redshift Data Statement Status Change',
  source: 'aws.redshift-data',
  account: '123456789012',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:redshift:us-east-1:123456789012:cluster:c'],
  detail: {
    principal: 'p',
    statementName: `${PREFIX}${n}`,
    statementId: `id-${n}`,
    redshiftQueryId: 1,
    state: 'FINISHED',
    rows: 1,
    expireAt: 1,
    ...detail,
  },
  ...overrides,
});

const running: LocalEventDelivery[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

function start(handler: EventDeliveryOptions['handler'], options: Partial<EventDeliveryOptions> = {}) {
  const delivery = startEventDelivery({ pattern, handler, visibilityTimeoutMs: 10, ...options });
  running.push(delivery);
  return delivery;
}

describe('startEventDelivery', () => {
  it('routes only events the construct pattern matches', async () => {
    const received: SQSRecord[] = [];
    const delivery = start((e) => void received.push(...e.Records));
    expect(delivery.publish(event())).toBe(true);
    expect(delivery.publish(event({ source: 'aws.redshift' }))).toBe(false);
    expect(delivery.publish(event({}, { statementName: 'other-tool-1' }))).toBe(false);
    expect(delivery.publish(event({}, { state: 'STARTED' }))).toBe(false);
    expect(delivery.publish(event({ 'detail-type': 'Something else' }))).toBe(false);
    await delivery.idle();
    expect(received).toHaveLength(1);
    expect(delivery.unmatched).toHaveLength(4);
  });

  it('hands records shaped as Lambda SQS events, the body being the event JSON', async () => {
    const batches: SQSEvent[] = [];
    const delivery = start((e) => void batches.push(e), { queueArn: 'arn:aws:sqs:eu-west-1:111122223333:q' });
    const sent = event();
    delivery.publish(sent);
    await delivery.idle();
    const [record] = batches[0].Records;
    expect(JSON.parse(record.body)).toEqual(sent);
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q',
      awsRegion: 'eu-west-1',
      messageAttributes: {},
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
    });
    expect(record.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.receiptHandle).toEqual(expect.any(String));
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
  });

  it('groups queued messages into batches of at most batchSize', async () => {
    const sizes: number[] = [];
    const delivery = start((e) => void sizes.push(e.Records.length), { batchSize: 3, concurrency: 1, batchWindowMs: 20 });
    for (let i = 0; i < 7; i++) delivery.publish(event());
    await delivery.idle();
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('redelivers only the records in batchItemFailures, with a growing ApproximateReceiveCount', async () => {
    const seen: Record<string, string[]> = {};
    const delivery = start((e): SQSBatchResponse => {
      const failures = [];
      for (const r of e.Records) {
        const { detail } = JSON.parse(r.body) as { detail: { statementId: string } };
        seen[detail.statementId] = [...(seen[detail.statementId] ?? []), r.attributes.ApproximateReceiveCount];
        if (detail.statementId === 'flaky' && r.attributes.ApproximateReceiveCount !== '3') failures.push({ itemIdentifier: r.messageId });
      }
      return { batchItemFailures: failures };
    });
    delivery.publish(event({}, { statementId: 'flaky' }));
    delivery.publish(event({}, { statementId: 'fine' }));
    await delivery.idle();
    expect(seen).toEqual({ flaky: ['1', '2', '3'], fine: ['1'] });
    expect(delivery.deadLetters).toEqual([]);
  });

  it('moves a message that keeps failing to the dead-letter list after maxReceiveCount receives', async () => {
    let calls = 0;
    const delivery = start(
      (e) => {
        calls++;
        return { batchItemFailures: e.Records.filter((r) => r.body.includes('"poison"')).map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { maxReceiveCount: 3 },
    );
    delivery.publish(event({}, { statementId: 'poison' }));
    delivery.publish(event({}, { statementId: 'good' }));
    await delivery.idle();
    expect(delivery.deadLetters).toHaveLength(1);
    expect(delivery.deadLetters[0].receiveCount).toBe(3);
    expect(JSON.parse(delivery.deadLetters[0].record.body).detail.statementId).toBe('poison');
    expect(delivery.deadLetters[0].record.attributes.ApproximateReceiveCount).toBe('3');
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(delivery.pending()).toBe(0);
  });

  it('retries the whole batch when the handler throws or names an unknown record', async () => {
    let attempt = 0;
    const delivery = start(
      async () => {
        attempt++;
        if (attempt === 1) throw new Error('crash');
        if (attempt === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] };
        return { batchItemFailures: [] };
      },
      { batchWindowMs: 20 },
    );
    delivery.publish(event());
    delivery.publish(event());
    await delivery.idle();
    expect(delivery.batches.map((b) => [b.messageIds.length, b.failedMessageIds.length, b.error])).toEqual([
      [2, 2, 'Error: crash'],
      [2, 2, undefined],
      [2, 0, undefined],
    ]);
  });

  it('brings a failed batch back whole, even on a clock that ticks between two records', async () => {
    // A clock that moves 1 ms on every read: the failed records must still share one visibility deadline.
    let reads = 0;
    const clock = createKitClock(1, () => 1_700_000_000_000 + reads++);
    let attempt = 0;
    const delivery = start(
      () => {
        attempt++;
        if (attempt === 1) throw new Error('crash');
      },
      { batchWindowMs: 20, clock },
    );
    delivery.publish(event());
    delivery.publish(event());
    delivery.publish(event());
    await delivery.idle();
    expect(delivery.batches.map((b) => [b.messageIds.length, b.failedMessageIds.length])).toEqual([
      [3, 3],
      [3, 0],
    ]);
  });

  it('idle() rejects when messages stay pending past the timeout; stop() drops them', async () => {
    const delivery = start(() => new Promise<void>((resolve) => setTimeout(resolve, 300)));
    delivery.publish(event());
    await expect(delivery.idle(50)).rejects.toThrow(/not idle after 50 ms: 1 message/);
    await delivery.stop();
    expect(delivery.pending()).toBe(0);
    expect(() => delivery.publish(event())).toThrow(/stopped/);
  });

  it('refuses bad options', () => {
    expect(() => startEventDelivery({ pattern, handler: () => undefined, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => startEventDelivery({ pattern, handler: () => undefined, visibilityTimeoutMs: -1 })).toThrow(/visibilityTimeoutMs/);
  });
});
