/**
 * The one place that sends Redshift Data API commands (`DataApi`, built once per container with the target),
 * plus small helpers: the target parameters, turning SDK responses into the plain JSON shapes callers see,
 * and classifying start errors.
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
  type BatchExecuteStatementCommandInput,
  type BatchExecuteStatementCommandOutput,
  type CancelStatementCommandOutput,
  type DescribeStatementCommandOutput,
  type ExecuteStatementCommandInput,
  type ExecuteStatementCommandOutput,
  type GetStatementResultCommandOutput,
  type GetStatementResultV2CommandOutput,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { CheckedTarget } from '../../shared/redshift-target';

/** The target fields every Data API statement call carries (cluster + db user/secret, or workgroup). */
export function targetParameters(target: CheckedTarget): {
  ClusterIdentifier?: string;
  DbUser?: string;
  SecretArn?: string;
  WorkgroupName?: string;
  Database: string;
} {
  return target.kind === 'cluster'
    ? { ClusterIdentifier: target.clusterIdentifier, DbUser: target.dbUser, SecretArn: target.secretArn, Database: target.database }
    : { WorkgroupName: target.workgroupName, SecretArn: target.secretArn, Database: target.database };
}

/**
 * An SDK response as the JSON the caller (Step Functions) receives: without `$metadata`, dates as ISO
 * strings, binary values as base64 — the shapes the Data API documents.
 */
export function toPlainResponse<T extends object>(response: T): Record<string, unknown> {
  const { $metadata: _metadata, ...rest } = response as T & { $metadata?: unknown };
  return JSON.parse(
    JSON.stringify(rest, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
  ) as Record<string, unknown>;
}

/** Error names worth a retry: throttling, the 200-active-statements limit, transient server faults. */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'InternalServerException',
  'ServiceUnavailableException',
  'TimeoutError',
]);

/** Whether a Data API error is transient: a known throttling/limit name or an HTTP 5xx. */
export function isRetryableDataApiError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return RETRYABLE_NAMES.has(error.name) || (status !== undefined && status >= 500);
}

/** The request fields that place a statement on the target; the Data API takes them or a `SessionId`. */
type TargetFields = keyof ReturnType<typeof targetParameters>;

/** A statement request without its target: `DataApi` adds the target's fields unless it runs in a session (`SessionId`). */
export type ExecuteRequest = Omit<ExecuteStatementCommandInput, TargetFields>;
export type BatchExecuteRequest = Omit<BatchExecuteStatementCommandInput, TargetFields>;

/** How long a call may take: an abort signal (run-to-completion bounds each call by the time left). */
export interface SendOptions {
  abortSignal?: AbortSignal;
}

/**
 * The Data API calls of one tasker: one client and the configured target. A statement sent with a
 * `SessionId` runs on that session's connection, so the target's fields are left out.
 */
export class DataApi {
  constructor(
    private readonly client: RedshiftDataClient,
    readonly target: CheckedTarget,
  ) {}

  execute(request: ExecuteRequest, options?: SendOptions): Promise<ExecuteStatementCommandOutput> {
    return this.client.send(new ExecuteStatementCommand(this.placed(request)), options);
  }

  batchExecute(request: BatchExecuteRequest, options?: SendOptions): Promise<BatchExecuteStatementCommandOutput> {
    return this.client.send(new BatchExecuteStatementCommand(this.placed(request)), options);
  }

  /** DescribeStatement; `waitSeconds` asks the Data API to wait for the statement to end first (the fast path). */
  describe(id: string, options: SendOptions & { waitSeconds?: number } = {}): Promise<DescribeStatementCommandOutput> {
    const { waitSeconds, ...send } = options;
    return this.client.send(
      new DescribeStatementCommand({ Id: id, ...(waitSeconds !== undefined && { WaitTimeSeconds: waitSeconds }) }),
      send,
    );
  }

  cancel(id: string, options?: SendOptions): Promise<CancelStatementCommandOutput> {
    return this.client.send(new CancelStatementCommand({ Id: id }), options);
  }

  result(id: string, nextToken: string | undefined): Promise<GetStatementResultCommandOutput> {
    return this.client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken }));
  }

  /** CSV results (a statement started with resultFormat CSV) are only served by GetStatementResultV2. */
  resultCsv(id: string, nextToken: string | undefined): Promise<GetStatementResultV2CommandOutput> {
    return this.client.send(new GetStatementResultV2Command({ Id: id, NextToken: nextToken }));
  }

  private placed<T extends { SessionId?: string }>(request: T): T & Partial<ReturnType<typeof targetParameters>> {
    return request.SessionId !== undefined ? request : { ...targetParameters(this.target), ...request };
  }
}
