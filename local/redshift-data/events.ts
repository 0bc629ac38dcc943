/**
 * The EventBridge event the Data API emits when a statement started with `WithEvent: true` ends.
 * Shape as AWS documents it; the event never carries the error text (DescribeStatement has it).
 */
import { randomUUID } from 'node:crypto';
import { eventBridgeTime, type TerminalStatementState } from '../../functions/shared/contract';

/** The contract's terminal states (`STATUS_EVENT.STATES`). */
export type TerminalState = TerminalStatementState;

export interface StatusChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'Redshift Data Statement Status Change';
  source: 'aws.redshift-data';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    principal: string;
    statementName: string;
    statementId: string;
    redshiftQueryId: number;
    state: TerminalState;
    rows: number;
    expireAt: number;
  };
}

/** Results (and the statement) are kept 24 hours; the event says when they expire. */
const RESULT_RETENTION_SECONDS = 86_400;

export interface StatusChangeInput {
  account: string;
  region: string;
  principal: string;
  /** ARN of the cluster or workgroup the statement ran on. */
  resourceArn: string;
  statementId: string;
  statementName?: string;
  redshiftQueryId: number;
  state: TerminalState;
  /** Rows returned or affected; -1 when the statement did not finish. */
  rows: number;
  endedAt: Date;
}

export function buildStatusChangeEvent(input: StatusChangeInput): StatusChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Redshift Data Statement Status Change',
    source: 'aws.redshift-data',
    account: input.account,
    time: eventBridgeTime(input.endedAt),
    region: input.region,
    resources: [input.resourceArn],
    detail: {
      principal: input.principal,
      statementName: input.statementName ?? '',
      statementId: input.statementId,
      redshiftQueryId: input.redshiftQueryId,
      state: input.state,
      rows: input.rows,
      expireAt: Math.floor(input.endedAt.getTime() / 1000) + RESULT_RETENTION_SECONDS,
    },
  };
}

/** ARN EventBridge puts in `resources` for a provisioned cluster or a serverless workgroup. */
export function targetArn(target: { clusterIdentifier?: string; workgroupName?: string }, region: string, account: string): string {
  return target.clusterIdentifier !== undefined
    ? `arn:aws:redshift:${region}:${account}:cluster:${target.clusterIdentifier}`
    : `arn:aws:redshift-serverless:${region}:${account}:workgroup/${target.workgroupName}`;
}
