/**
 * The "Redshift Data Statement Status Change" event (contract STATUS_EVENT), as EventBridge delivers it
 * in an SQS message body, parsed into what the completion needs.
 */
import { STATUS_EVENT } from '../shared/contract';
import { MalformedStatusEvent } from './errors';
import type { TerminalState } from './tracking-table';

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


const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
