/**
 * Small helpers around the Redshift Data API: the target parameters from the configuration, turning SDK
 * responses into the plain JSON shapes callers see, and classifying start errors.
 */
import type { RedshiftTarget } from './config';

/** The target fields every Data API statement call carries (cluster + db user/secret, or workgroup). */
export function targetParameters(target: RedshiftTarget): {
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
    JSON.stringify(rest, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
    ),
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
