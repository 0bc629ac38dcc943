/**
 * A minimal recording stand-in for the Redshift Data API (JSON 1.1, `X-Amz-Target: RedshiftData.<Op>`),
 * for handler unit tests that need full control over when and how a statement ends. It honours
 * `ClientToken` (a repeat answers the same statement, as the service does) and builds the
 * status-change events the real service emits. The PostgreSQL-backed service in `local/redshift-data/`
 * is used by the flow tests.
 */
import { randomUUID } from 'node:crypto';
import { startJsonServer } from './json-server';

export interface FakeStatement {
  Id: string;
  StatementName?: string;
  Sql?: string;
  Sqls?: string[];
  Parameters?: { name: string; value: string }[];
  ExecutionMode?: string;
  WithEvent?: boolean;
  ClientToken?: string;
  Database?: string;
  ClusterIdentifier?: string;
  DbUser?: string;
  WorkgroupName?: string;
  SecretArn?: string;
  Status: 'SUBMITTED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';
  Error?: string;
  ResultRows?: number;
  HasResultSet?: boolean;
  CreatedAt: number;
  UpdatedAt: number;
}

export interface FakeCall {
  operation: string;
  body: Record<string, unknown>;
}

export interface StatusChangeEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    principal: string;
    statementName?: string;
    statementId: string;
    redshiftQueryId: number;
    state: string;
    rows: number;
    expireAt: number;
  };
}

export interface FakeRedshiftData {
  endpoint: string;
  calls: FakeCall[];
  statements: Map<string, FakeStatement>;
  /** Makes the next calls of `operation` fail (until cleared with `clearErrors`). */
  injectError(operation: string, error: { name: string; message: string; status?: number }): void;
  clearErrors(): void;
  /** Ends a statement and returns the event the service would emit. */
  finish(
    id: string,
    state: 'FINISHED' | 'FAILED' | 'ABORTED',
    options?: { rows?: number; error?: string; hasResultSet?: boolean },
  ): StatusChangeEvent;
  /** The last statement started. */
  last(): FakeStatement;
  /** Result rows served by GetStatementResult in pages of `pageSize`. */
  setResult(id: string, rows: number[], pageSize: number): void;
  stop(): Promise<void>;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

export async function startFakeRedshiftData(): Promise<FakeRedshiftData> {
  const calls: FakeCall[] = [];
  const statements = new Map<string, FakeStatement>();
  const byClientToken = new Map<string, string>();
  const results = new Map<string, { rows: number[]; pageSize: number }>();
  const errors = new Map<string, { name: string; message: string; status?: number }>();
  let queryId = 1000;

  const fail = (name: string, message: string, status = 400) => ({ status, body: { __type: name, message } });
  const server = await startJsonServer('application/x-amz-json-1.1', (operation, body) => {
    calls.push({ operation, body });
    const injected = errors.get(operation);
    if (injected) return fail(injected.name, injected.message, injected.status);
    const find = () => statements.get(String(body.Id).replace(/:\d+$/, ''));
    switch (operation) {
      case 'ExecuteStatement':
      case 'BatchExecuteStatement': {
        const token = body.ClientToken as string | undefined;
        const existing = token ? statements.get(byClientToken.get(token) ?? '') : undefined;
        const statement: FakeStatement = existing ?? {
          ...(body as Partial<FakeStatement>),
          Id: randomUUID(),
          Status: 'STARTED',
          CreatedAt: Date.now(),
          UpdatedAt: Date.now(),
        };
        if (!existing) {
          statements.set(statement.Id, statement);
          if (token) byClientToken.set(token, statement.Id);
        }
        const { Id, ClusterIdentifier, Database, DbUser, WorkgroupName, SecretArn } = statement;
        return {
          status: 200,
          body: { Id, CreatedAt: seconds(statement.CreatedAt), ClusterIdentifier, Database, DbUser, WorkgroupName, SecretArn },
        };
      }
      case 'DescribeStatement': {
        const s = find();
        if (!s) return fail('ResourceNotFoundException', 'Query does not exist.');
        return {
          status: 200,
          body: {
            Id: s.Id,
            Status: s.Status,
            Error: s.Error,
            QueryString: s.Sql,
            ResultRows: s.ResultRows ?? -1,
            HasResultSet: s.HasResultSet ?? false,
            Duration: (s.UpdatedAt - s.CreatedAt) * 1e6,
            RedshiftQueryId: 4242,
            CreatedAt: seconds(s.CreatedAt),
            UpdatedAt: seconds(s.UpdatedAt),
          },
        };
      }
      case 'CancelStatement': {
        const s = find();
        if (!s) return fail('ResourceNotFoundException', 'Query does not exist.');
        const running = s.Status === 'STARTED' || s.Status === 'SUBMITTED';
        if (running) Object.assign(s, { Status: 'ABORTED', UpdatedAt: Date.now() });
        return { status: 200, body: { Status: running } };
      }
      case 'GetStatementResult': {
        const s = find();
        const result = s && results.get(s.Id);
        if (!s || !result) return fail('ResourceNotFoundException', 'Query does not exist.');
        const start = body.NextToken ? Number(String(body.NextToken).replace('page-', '')) : 0;
        const page = result.rows.slice(start, start + result.pageSize);
        const next = start + result.pageSize < result.rows.length ? `page-${start + result.pageSize}` : undefined;
        return {
          status: 200,
          body: {
            Records: page.map((value) => [{ longValue: value }]),
            ColumnMetadata: [{ name: 'n', typeName: 'int8' }],
            TotalNumRows: result.rows.length,
            NextToken: next,
          },
        };
      }
      default:
        return fail('UnknownOperationException', `fake does not implement ${operation}`);
    }
  });

  return {
    endpoint: server.endpoint,
    calls,
    statements,
    injectError: (operation, error) => void errors.set(operation, error),
    clearErrors: () => errors.clear(),
    finish(id, state, options = {}) {
      const s = statements.get(id);
      if (!s) throw new Error(`no statement ${id}`);
      Object.assign(s, {
        Status: state,
        Error: options.error,
        ResultRows: options.rows,
        HasResultSet: options.hasResultSet,
        UpdatedAt: Date.now(),
      });
      queryId += 1;
      return {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Redshift Data Statement Status Change',
        source: 'aws.redshift-data',
        account: '123456789012',
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'us-east-1',
        resources: ['arn:aws:redshift:us-east-1:123456789012:cluster:test-cluster'],
        detail: {
          principal: 'arn:aws:sts::123456789012:assumed-role/tasker/fn',
          statementName: s.StatementName,
          statementId: s.Id,
          redshiftQueryId: queryId,
          state,
          rows: options.rows ?? -1,
          expireAt: seconds(Date.now()) + 86_400,
        },
      };
    },
    last() {
      const all = [...statements.values()];
      if (all.length === 0) throw new Error('no statement started');
      return all[all.length - 1];
    },
    setResult: (id, rows, pageSize) => void results.set(id, { rows, pageSize }),
    stop: server.stop,
  };
}
