/** Data API helpers (plain responses, retryable-error classification) and the requests DataApi sends. */
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { CheckedTarget } from '../../../../functions/shared/redshift-target';
import { DataApi, isRetryableDataApiError, toPlainResponse } from '../../../../functions/tasker/platform/data-api';

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

/** A stand-in client that records every command it is sent (class name, input, send options) and answers `{}`. */
function recordingClient(): { client: RedshiftDataClient; sent: Array<{ command: string; input: unknown; options: unknown }> } {
  const sent: Array<{ command: string; input: unknown; options: unknown }> = [];
  const send = async (command: { constructor: { name: string }; input: unknown }, options?: unknown) => {
    sent.push({ command: command.constructor.name, input: command.input, options });
    return {};
  };
  return { client: { send } as unknown as RedshiftDataClient, sent };
}

const CLUSTER: CheckedTarget = { kind: 'cluster', clusterIdentifier: 'c1', dbUser: 'etl', database: 'dev' };
const WORKGROUP: CheckedTarget = { kind: 'workgroup', workgroupName: 'wg', secretArn: 'arn:secret', database: 'analytics' };
const CLUSTER_FIELDS = { ClusterIdentifier: 'c1', DbUser: 'etl', Database: 'dev' };
const WORKGROUP_FIELDS = { WorkgroupName: 'wg', SecretArn: 'arn:secret', Database: 'analytics' };
const TARGET_FIELD_NAMES = ['ClusterIdentifier', 'DbUser', 'SecretArn', 'WorkgroupName', 'Database'];
const statement = { StatementName: 'sfnrs-x', WithEvent: true, ClientToken: 'token' };

describe('DataApi: the requests it sends', () => {
  it.each([
    ['cluster', CLUSTER, CLUSTER_FIELDS],
    ['workgroup', WORKGROUP, WORKGROUP_FIELDS],
  ] as const)('execute carries the %s target fields with the statement fields', async (_kind, target, fields) => {
    const { client, sent } = recordingClient();
    await new DataApi(client, target).execute({ ...statement, Sql: 'select :a', Parameters: [{ name: 'a', value: '1' }] });
    expect(sent).toEqual([
      {
        command: 'ExecuteStatementCommand',
        input: { ...fields, ...statement, Sql: 'select :a', Parameters: [{ name: 'a', value: '1' }] },
        options: undefined,
      },
    ]);
  });

  it('batchExecute carries the target fields and passes the abort signal on', async () => {
    const { client, sent } = recordingClient();
    const abortSignal = AbortSignal.timeout(10_000);
    await new DataApi(client, WORKGROUP).batchExecute(
      { ...statement, Sqls: ['select 1', 'select 2'], ExecutionMode: 'TRANSACTION' },
      { abortSignal },
    );
    expect(sent).toEqual([
      {
        command: 'BatchExecuteStatementCommand',
        input: { ...WORKGROUP_FIELDS, ...statement, Sqls: ['select 1', 'select 2'], ExecutionMode: 'TRANSACTION' },
        options: { abortSignal },
      },
    ]);
  });

  it('a statement sent with a SessionId runs on the session: no target fields', async () => {
    const { client, sent } = recordingClient();
    const api = new DataApi(client, CLUSTER);
    await api.execute({ ...statement, Sql: 'select 1', SessionId: 's-1', SessionKeepAliveSeconds: 60 });
    await api.batchExecute({ ...statement, Sqls: ['select 1'], SessionId: 's-1' });
    for (const { input } of sent) expect(Object.keys(input as object).filter((name) => TARGET_FIELD_NAMES.includes(name))).toEqual([]);
    expect(sent[0].input).toMatchObject({ SessionId: 's-1', SessionKeepAliveSeconds: 60 });
  });

  it('a statement without a session keeps its keep-alive beside the target fields (it starts a session)', async () => {
    const { client, sent } = recordingClient();
    await new DataApi(client, CLUSTER).execute({ ...statement, Sql: 'select 1', SessionKeepAliveSeconds: 60 });
    expect(sent[0].input).toEqual({ ...CLUSTER_FIELDS, ...statement, Sql: 'select 1', SessionKeepAliveSeconds: 60 });
  });

  // The calls below name a statement by its id, which the Data API knows the target of: they carry no target fields.
  it('describe sends the id, WaitTimeSeconds only when asked to wait, and the abort signal', async () => {
    const { client, sent } = recordingClient();
    const api = new DataApi(client, CLUSTER);
    const abortSignal = AbortSignal.timeout(10_000);
    await api.describe('id-1');
    await api.describe('id-2', { waitSeconds: 3 });
    await api.describe('id-3', { abortSignal });
    expect(sent.map(({ command, input }) => [command, input])).toEqual([
      ['DescribeStatementCommand', { Id: 'id-1' }],
      ['DescribeStatementCommand', { Id: 'id-2', WaitTimeSeconds: 3 }],
      ['DescribeStatementCommand', { Id: 'id-3' }],
    ]);
    expect(Object.keys(sent[0].input as object)).toEqual(['Id']);
    expect(sent[2].options).toEqual({ abortSignal });
  });

  it('cancel sends the id and the abort signal', async () => {
    const { client, sent } = recordingClient();
    const abortSignal = AbortSignal.timeout(10_000);
    await new DataApi(client, WORKGROUP).cancel('id-1', { abortSignal });
    expect(sent).toEqual([{ command: 'CancelStatementCommand', input: { Id: 'id-1' }, options: { abortSignal } }]);
  });

  it('result and resultCsv ask GetStatementResult and GetStatementResultV2 for the page', async () => {
    const { client, sent } = recordingClient();
    const api = new DataApi(client, CLUSTER);
    await api.result('id-1', 'page-2');
    await api.resultCsv('id-1', undefined);
    expect(sent.map(({ command, input }) => [command, input])).toEqual([
      ['GetStatementResultCommand', { Id: 'id-1', NextToken: 'page-2' }],
      ['GetStatementResultV2Command', { Id: 'id-1' }],
    ]);
  });
});
