/**
 * The "Redshift Data Statement Status Change" event (contract STATUS_EVENT), as EventBridge delivers it
 * in an SQS message body, parsed into what the completion needs.
 */
import { randomUUID } from 'node:crypto';
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { eventBridgeTime, STATUS_EVENT } from '../../shared/contract';
import { MalformedStatusEvent } from '../platform/errors';
import type { TerminalState } from '../table/tracking-table';

export interface StatusChange {
  /** The whole event, passed on in the callback (existing state machines read `$.detail.*`). */
  event: Record<string, unknown>;
  statementName: string;
  statementId: string;
  state: TerminalState;
  /** `detail.rows` when present. */
  rows?: number;
  /** The event's `time` (ISO). */
  time?: string;
}

/** Whether a statement status (`Status` of DescribeStatement) is one a status-change event reports. */
export const isTerminalStatus = (status: string | undefined): status is TerminalState =>
  (STATUS_EVENT.STATES as readonly string[]).includes(status ?? '');

/** Data API results are kept 24 h: the event's `detail.expireAt`. */
const RESULT_RETENTION_SECONDS = 24 * 60 * 60;

export interface FoundStatusChange {
  statementName: string;
  statementId: string;
  /** What DescribeStatement said about the ended statement. */
  description: DescribeStatementResponse;
  state: TerminalState;
  /** Which path found the end, marked in the event as `<path>: true` (the event path has no such key). */
  foundBy: 'fastPath' | 'sweep';
  /** The invoked function's ARN, for the event's `account` and `region`. */
  invokedFunctionArn?: string;
  /** Clock, when DescribeStatement gives no `UpdatedAt`. */
  now: Date;
}

/**
 * A status change the tasker found itself (the fast path's wait, the sweep's DescribeStatement) rather than
 * received, shaped as the EventBridge event: the same envelope and detail, so state outputs and CloudFormation
 * `Data` carry the same keys whichever path completed the statement. `resources` stays empty and
 * `detail.principal` absent: only EventBridge knows what goes there.
 */
export function foundStatusChange(found: FoundStatusChange): StatusChange {
  const { description, state, statementName, statementId } = found;
  // As the event: the row count of a FINISHED statement, -1 otherwise; the time to the second.
  const rows = state === 'FINISHED' ? description.ResultRows : -1;
  const endedAt = description.UpdatedAt ?? found.now;
  const time = eventBridgeTime(endedAt);
  const [, , , arnRegion, account] = (found.invokedFunctionArn ?? '').split(':');
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': STATUS_EVENT.DETAIL_TYPE,
    source: STATUS_EVENT.SOURCE,
    account: account ?? '',
    time,
    region: process.env.AWS_REGION ?? arnRegion ?? '',
    resources: [],
    [found.foundBy]: true,
    detail: {
      statementName,
      statementId,
      redshiftQueryId: description.RedshiftQueryId,
      state,
      rows,
      expireAt: Math.floor(endedAt.getTime() / 1000) + RESULT_RETENTION_SECONDS,
    },
  };
  return { event, statementName, statementId, state, rows, time };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses an SQS message body. Throws MalformedStatusEvent when it is not a terminal status-change event. */
export function parseStatusEvent(body: string): StatusChange {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new MalformedStatusEvent('message body is not JSON');
  }
  if (!isRecord(event)) throw new MalformedStatusEvent('message body is not a JSON object');
  if (event.source !== STATUS_EVENT.SOURCE || event['detail-type'] !== STATUS_EVENT.DETAIL_TYPE) {
    throw new MalformedStatusEvent(`not a ${STATUS_EVENT.DETAIL_TYPE} event (source ${String(event.source)})`);
  }
  const detail = event.detail;
  if (!isRecord(detail)) throw new MalformedStatusEvent('event has no detail object');
  const { statementName, statementId, state, rows } = detail;
  if (typeof statementId !== 'string' || statementId === '') throw new MalformedStatusEvent('detail.statementId is missing');
  if (!(STATUS_EVENT.STATES as readonly unknown[]).includes(state)) {
    throw new MalformedStatusEvent(`detail.state ${String(state)} is not one of ${STATUS_EVENT.STATES.join(', ')}`);
  }
  return {
    event,
    statementName: typeof statementName === 'string' ? statementName : '',
    statementId,
    state: state as TerminalState,
    rows: typeof rows === 'number' ? rows : undefined,
    time: typeof event.time === 'string' ? event.time : undefined,
  };
}
