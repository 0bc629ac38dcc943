/**
 * Redshift Data API status-change events (measured-facts.md, "Redshift Data API events") as PutEvents
 * entries, and as the event EventBridge delivers, so one list feeds both the emulator's bus and the local
 * kit's pattern matcher.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_EVENT } from '../../../functions/shared/contract';

export interface StatusEventCase {
  /** What the case stands for, in failure messages. */
  readonly label: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

/** The Data API's detail for a statement named `statementName` that reached `state`. */
export function statusDetail(statementName: string, state: string, statementId: string = randomUUID()): Record<string, unknown> {
  return {
    principal: 'arn:aws:sts::123456789012:assumed-role/tasker/session',
    statementName,
    statementId,
    redshiftQueryId: 4242,
    state,
    rows: state === 'FINISHED' ? 1 : -1,
    expireAt: Math.floor(Date.now() / 1000) + 86_400,
  };
}

/**
 * Events for this tasker (each terminal state), for another tasker whose prefix shares ours as a prefix or
 * not, non-terminal states, unnamed statements, and other sources and detail types.
 */
export function routingCases(ownPrefix: string): StatusEventCase[] {
  const dataApi = (label: string, detail: Record<string, unknown>): StatusEventCase => ({
    label,
    source: STATUS_EVENT.SOURCE,
    detailType: STATUS_EVENT.DETAIL_TYPE,
    detail,
  });
  const key = 'a'.repeat(64);
  return [
    ...STATUS_EVENT.STATES.map((state) => dataApi(`own ${state}`, statusDetail(`${ownPrefix}${key}`, state))),
    dataApi('own STARTED', statusDetail(`${ownPrefix}${key}`, 'STARTED')),
    dataApi('own SUBMITTED', statusDetail(`${ownPrefix}${key}`, 'SUBMITTED')),
    dataApi('other tasker FINISHED', statusDetail(`sfnrs-someone-else-${key}`, 'FINISHED')),
    dataApi('other tasker extending our prefix FINISHED', statusDetail(`x${ownPrefix}${key}`, 'FINISHED')),
    dataApi('unnamed statement FINISHED', { ...statusDetail('', 'FINISHED'), statementName: undefined }),
    {
      label: 'own name, other source',
      source: 'my.application',
      detailType: STATUS_EVENT.DETAIL_TYPE,
      detail: statusDetail(`${ownPrefix}${key}`, 'FINISHED'),
    },
    {
      label: 'own name, other detail type',
      source: STATUS_EVENT.SOURCE,
      detailType: 'Redshift Data Statement Something',
      detail: statusDetail(`${ownPrefix}${key}`, 'FINISHED'),
    },
  ];
}

/** The event as EventBridge hands it to rules and targets (what the local matcher sees). */
export function deliveredEvent(entry: StatusEventCase, id: string): Record<string, unknown> {
  return {
    version: '0',
    id,
    'detail-type': entry.detailType,
    source: entry.source,
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(JSON.stringify(entry.detail)) as Record<string, unknown>,
  };
}
