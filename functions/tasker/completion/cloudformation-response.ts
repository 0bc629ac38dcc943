/**
 * The body a custom resource's ResponseURL receives when its statement ends, shaped as the original's and
 * within CloudFormation's 4,096-byte limit on the whole body.
 *
 * `Data` is a superset: the original's keys (the status-change event: `version`, `id`, `detail-type`,
 * `source`, `account`, `time`, `region`, `resources`, `detail`, with `detail.error` on failure), so a
 * template's `Fn::GetAtt` on them keeps working, plus ours (`StatementId`, `Rows`). `Reason` is set on
 * success and on failure; `NoEcho` is false, as the original sent it.
 */
import { LIMITS } from '../../shared/contract';
import type { StatusChange } from '../input/status-event';
import type { CloudFormationTarget } from '../table/tracking-table';
import { truncateBytes } from '../platform/truncate';

/** The body CloudFormation expects at a custom resource's presigned ResponseURL. */
export interface CloudFormationResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  /** Whether CloudFormation masks `Data` in its output (always false, as the original sent it). */
  NoEcho?: boolean;
  Data?: Record<string, unknown>;
}

/** The Reason's share of the body: the start of the error text is what the console shows. */
const REASON_MAX_BYTES = 2_000;
/** Appended to Reason when `detail.error` had to be cut. */
const RESPONSE_LIMIT = `CloudFormation's ${LIMITS.CLOUDFORMATION_RESPONSE_MAX_BYTES}-byte response limit`;
const ERROR_TRUNCATED_NOTE = ` (Data detail.error truncated to fit ${RESPONSE_LIMIT})`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The response for a finished statement; `errorText` for a FAILED one (the event does not carry it). */
export function completionResponse(target: CloudFormationTarget, change: StatusChange, errorText?: string): CloudFormationResponse {
  const detail = isRecord(change.event.detail) ? change.event.detail : {};
  const reason =
    change.state === 'FINISHED'
      ? `statement ${change.statementId} FINISHED${change.rows !== undefined ? ` (${change.rows} rows)` : ''}`
      : change.state === 'FAILED'
        ? `statement FAILED: ${errorText ?? 'the Data API reported no error text'}`
        : 'statement ABORTED: it was cancelled before it finished';
  return {
    Status: change.state === 'FINISHED' ? 'SUCCESS' : 'FAILED',
    Reason: reason,
    PhysicalResourceId: target.physicalResourceId,
    StackId: target.stackId,
    RequestId: target.requestId,
    LogicalResourceId: target.logicalResourceId,
    NoEcho: false,
    Data: {
      ...change.event,
      detail: change.state === 'FAILED' ? { ...detail, error: errorText ?? '' } : detail,
      StatementId: change.statementId,
      ...(change.rows !== undefined ? { Rows: change.rows } : {}),
    },
  };
}

const bodyBytes = (response: CloudFormationResponse): number => Buffer.byteLength(JSON.stringify(response));
const jsonBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text));

/**
 * Fits `response` within CloudFormation's limit, giving up, in this order: the Reason beyond 2,000 bytes (as
 * JSON), `Data.detail.error` (Reason then says so), more of the Reason, and finally every Data key but ours.
 */
export function fitToCloudFormationLimit(response: CloudFormationResponse): CloudFormationResponse {
  const max = LIMITS.CLOUDFORMATION_RESPONSE_MAX_BYTES;
  const fullReason = response.Reason ?? '';
  const reason = largestFitting(fullReason, (text) => jsonBytes(text) <= REASON_MAX_BYTES);
  let fitted: CloudFormationResponse = response.Reason === undefined ? response : { ...response, Reason: reason };
  if (bodyBytes(fitted) <= max) return fitted;

  let note = '';
  const detail = fitted.Data?.detail;
  if (isRecord(detail) && typeof detail.error === 'string') {
    note = ERROR_TRUNCATED_NOTE;
    const withError = (error: string): CloudFormationResponse => ({
      ...fitted,
      Reason: `${reason}${note}`,
      Data: { ...fitted.Data, detail: { ...detail, error } },
    });
    fitted = withError(largestFitting(detail.error, (error) => bodyBytes(withError(error)) <= max));
    if (bodyBytes(fitted) <= max) return fitted;
  }
  const withReason = (text: string): CloudFormationResponse => ({ ...fitted, Reason: `${text}${note}` });
  fitted = withReason(largestFitting(reason, (text) => bodyBytes(withReason(text)) <= max));
  if (bodyBytes(fitted) <= max) return fitted;
  // Only an event far larger than the Data API's could get here.
  const { StatementId, Rows } = fitted.Data ?? {};
  return { ...fitted, Data: { StatementId, Rows } };
}

/**
 * `text` cut (truncate.ts, with its marker) to the most bytes for which `fits` holds, or '' if none does.
 * By bisection: JSON escaping makes a text's share of the body larger than its bytes, by a varying amount.
 */
function largestFitting(text: string, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  let good = 0;
  let bad = Buffer.byteLength(text);
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (fits(truncateBytes(text, middle))) good = middle;
    else bad = middle;
  }
  const cut = truncateBytes(text, good);
  return fits(cut) ? cut : '';
}
