import { LIMITS } from '../../../functions/shared/contract';
import { failureCause } from '../../../functions/tasker/complete-statement';
import { readConfig } from '../../../functions/tasker/config';
import { fastPathWaitSeconds } from '../../../functions/tasker/fast-path';
import { isRetryableDataApiError, toPlainResponse } from '../../../functions/tasker/data-api';
import { idempotencyKeyFor, keyFromStatementName, statementNameFor } from '../../../functions/tasker/idempotency';
import { parseInvocation, type StartInvocation } from '../../../functions/tasker/invocation-schema';
import { routeOf } from '../../../functions/tasker/router';
import { parseStatusEvent } from '../../../functions/tasker/status-event';
import { truncateBytes, truncateChars } from '../../../functions/tasker/truncate';
import { handler } from '../../../functions/tasker/index';

describe('router', () => {
  it.each([
    [{ Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, 'sqs-status-events'],
    [{ source: 'aws.events', 'detail-type': 'Scheduled Event' }, 'sweep-schedule'],
    [{ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: {} }, 'execution-status-change'],
    [{ RequestType: 'Create', ResponseURL: 'https://x' }, 'cloudformation'],
    [{ tf: { action: 'create' }, sqlStatement: 'select 1' }, 'terraform-lifecycle'],
    [{ sqlStatement: 'select 1' }, 'direct-invocation'],
    [{ Records: [{ eventSource: 'aws:s3' }] }, 'direct-invocation'],
    ['text', 'direct-invocation'],
  ])('%j → %s', (event, route) => {
    expect(routeOf(event)).toBe(route);
  });

  it('a tf lifecycle event reaches the SQL resource path (terraform-lifecycle.test.ts covers it)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { TRACKING_TABLE_NAME: 'tbl', REDSHIFT_DATABASE: 'dev', REDSHIFT_WORKGROUP_NAME: 'wg' });
    try {
      await expect(handler({ tf: { action: 'create' } })).rejects.toMatchObject({ name: 'InvalidInput', message: 'create: is required' });
    } finally {
      process.env = saved;
    }
  });
});

describe('config', () => {
  const base = { TRACKING_TABLE_NAME: 't', REDSHIFT_DATABASE: 'dev' };
  it('reads a cluster target with defaults', () => {
    expect(readConfig({ ...base, REDSHIFT_CLUSTER_IDENTIFIER: 'c', REDSHIFT_DB_USER: 'u' })).toEqual({
      tableName: 't',
      target: { kind: 'cluster', clusterIdentifier: 'c', dbUser: 'u', secretArn: undefined, database: 'dev' },
      statementNamePrefix: 'sfnrs-',
      abortedErrorName: 'FAILED',
      itemTtlSeconds: 86_400,
      sweepGraceSeconds: 300,
      describeOnSuccess: false,
      fastPathSeconds: 1,
      sendHeartbeats: true,
      cancelOrphanedStatements: true,
    });
  });
  it('reads the fast path setting, 0 turning it off', () => {
    expect(readConfig({ ...base, REDSHIFT_WORKGROUP_NAME: 'wg', FAST_PATH_SECONDS: '0' }).fastPathSeconds).toBe(0);
    expect(readConfig({ ...base, REDSHIFT_WORKGROUP_NAME: 'wg', FAST_PATH_SECONDS: '30' }).fastPathSeconds).toBe(30);
  });
  it('reads a serverless target', () => {
    expect(readConfig({ ...base, REDSHIFT_WORKGROUP_NAME: 'wg' }).target).toEqual({ kind: 'serverless', workgroupName: 'wg', secretArn: undefined, database: 'dev' });
  });
  it.each([
    [{ REDSHIFT_CLUSTER_IDENTIFIER: 'c' }, /DB_USER or REDSHIFT_SECRET_ARN/],
    [{ REDSHIFT_CLUSTER_IDENTIFIER: 'c', REDSHIFT_WORKGROUP_NAME: 'w', REDSHIFT_DB_USER: 'u' }, /not both/],
    [{}, /is required/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', ITEM_TTL_SECONDS: '-1' }, /ITEM_TTL_SECONDS/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', DESCRIBE_ON_SUCCESS: 'yes' }, /DESCRIBE_ON_SUCCESS/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', FAST_PATH_SECONDS: '31' }, /FAST_PATH_SECONDS must be a whole number from 0 to 30/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', FAST_PATH_SECONDS: '0.5' }, /FAST_PATH_SECONDS/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', SEND_HEARTBEATS: 'on' }, /SEND_HEARTBEATS must be 'true' or 'false'/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', CANCEL_ORPHANED_STATEMENTS: '1' }, /CANCEL_ORPHANED_STATEMENTS/],
  ])('rejects %j', (env, message) => {
    expect(() => readConfig({ ...base, ...env })).toThrow(message);
  });
});

describe('idempotency keys and statement names', () => {
  const start = (payload: Record<string, unknown>) => parseInvocation(payload) as StartInvocation;
  const arn = 'arn:aws:states:us-east-1:123456789012:execution:sm:run';
  it('the same task gives the same key; another token or state entry another', () => {
    const a = idempotencyKeyFor(start({ sqlStatement: 'x', taskToken: 't1', executionArn: arn }));
    expect(idempotencyKeyFor(start({ sqlStatement: 'x', taskToken: 't1', executionArn: arn }))).toBe(a);
    expect(idempotencyKeyFor(start({ sqlStatement: 'x', taskToken: 't2', executionArn: arn }))).not.toBe(a);
    const entered = { sqlStatement: 'x', executionArn: arn, stateEnteredTime: '2026-01-01T00:00:00Z' };
    expect(idempotencyKeyFor(start(entered))).toBe(idempotencyKeyFor(start(entered)));
    expect(idempotencyKeyFor(start({ ...entered, stateEnteredTime: '2026-01-01T00:00:01Z' }))).not.toBe(idempotencyKeyFor(start(entered)));
  });
  it('without anything to derive from, every call gets a fresh key', () => {
    expect(idempotencyKeyFor(start({ sqlStatement: 'x' }))).not.toBe(idempotencyKeyFor(start({ sqlStatement: 'x' })));
  });
  it('names round-trip through the prefix and foreign names give no key', () => {
    const key = 'a'.repeat(64);
    expect(keyFromStatementName('p-', statementNameFor('p-', key))).toBe(key);
    expect(keyFromStatementName('p-', 'q-' + key)).toBeUndefined();
    expect(keyFromStatementName('p-', 'p-short')).toBeUndefined();
    expect(keyFromStatementName('p-', undefined)).toBeUndefined();
    expect(() => statementNameFor('x'.repeat(437), key)).toThrow(/500/);
  });
});

describe('status events', () => {
  const event = { source: 'aws.redshift-data', 'detail-type': 'Redshift Data Statement Status Change', time: 't', detail: { statementId: 'id', statementName: 'n', state: 'FINISHED', rows: 2 } };
  it('parses a terminal event', () => {
    expect(parseStatusEvent(JSON.stringify(event))).toMatchObject({ statementId: 'id', statementName: 'n', state: 'FINISHED', rows: 2 });
  });
  it.each([
    ['not json', /not JSON/],
    [JSON.stringify({ ...event, source: 'aws.s3' }), /not a Redshift Data/],
    [JSON.stringify({ ...event, detail: { ...event.detail, state: 'STARTED' } }), /detail.state/],
    [JSON.stringify({ ...event, detail: { state: 'FINISHED' } }), /statementId/],
  ])('rejects %s', (body, message) => {
    expect(() => parseStatusEvent(body)).toThrow(message);
  });
});

describe('truncation to the callback limits', () => {
  it('cuts characters and bytes with a marker, leaving short text alone', () => {
    expect(truncateChars('abc', 5)).toBe('abc');
    expect(truncateChars('x'.repeat(300), LIMITS.SEND_TASK_FAILURE_ERROR_MAX)).toHaveLength(256);
    const cut = truncateBytes('é'.repeat(1000), 101);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(101);
    expect(cut).toMatch(/^é+…\[truncated\]$/);
    // A limit the marker alone exceeds gives nothing rather than too much.
    expect(truncateBytes('abcdefghijklmnopqrstuvwxyz', 5)).toBe('');
  });
  it('a huge Redshift error keeps the cause valid JSON within 32,768 characters', () => {
    const cause = failureCause({ source: 's', detail: { statementId: 'id' } }, 'e"'.repeat(40_000));
    expect(cause.length).toBeLessThanOrEqual(LIMITS.SEND_TASK_FAILURE_CAUSE_MAX);
    expect(JSON.parse(cause).detail.statementId).toBe('id');
  });
});

describe('Data API helpers', () => {
  it('plain responses drop $metadata and turn dates into ISO strings', () => {
    expect(toPlainResponse({ $metadata: {}, Id: 'x', CreatedAt: new Date(0) })).toEqual({ Id: 'x', CreatedAt: '1970-01-01T00:00:00.000Z' });
  });
  it('classifies retryable errors by name or 5xx status', () => {
    const error = (name: string, status = 400) => Object.assign(new Error('m'), { name, $metadata: { httpStatusCode: status } });
    expect(isRetryableDataApiError(error('ThrottlingException'))).toBe(true);
    expect(isRetryableDataApiError(error('Whatever', 503))).toBe(true);
    expect(isRetryableDataApiError(error('ValidationException'))).toBe(false);
  });
});

describe('fast path wait', () => {
  const budget = (ms: number) => ({ getRemainingTimeInMillis: () => ms });
  it('waits the setting when the invocation has time, less when it has not, never below 0', () => {
    expect(fastPathWaitSeconds(2, budget(60_000))).toBe(2);
    expect(fastPathWaitSeconds(2, undefined)).toBe(2);
    // 2.5 s left keeps a 0.5 s margin: 2 s usable.
    expect(fastPathWaitSeconds(5, budget(2_500))).toBe(2);
    expect(fastPathWaitSeconds(5, budget(900))).toBe(0);
    expect(fastPathWaitSeconds(0, budget(60_000))).toBe(0);
  });
});
