/**
 * describeStatement, cancelStatement and getStatementResult: one Data API call each (plus one Query for
 * `LATEST`), answered in the Data API's response shapes as the original handler did.
 */
import {
  CancelStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
} from '@aws-sdk/client-redshift-data';
import { clients } from './clients';
import { getConfig } from './config';
import { toPlainResponse } from './data-api';
import { PreviousExecutionNotFound } from './errors';
import { LATEST, type StatementInvocation } from './invocation-schema';
import { logger } from './logger';
import { TrackingTable } from './tracking-table';

/** The statement id a call means: the given id, or for `LATEST` the newest tracked statement of the execution. */
export async function resolveStatementId(statementId: string, executionArn: string | undefined): Promise<string> {
  if (statementId !== LATEST) return statementId;
  const latest = await new TrackingTable(getConfig().tableName).latestForExecution(executionArn as string);
  if (!latest?.statementId) {
    throw new PreviousExecutionNotFound(`no statement was started for execution ${executionArn}`);
  }
  return latest.statementId;
}

export async function runStatementAction(invocation: StatementInvocation): Promise<Record<string, unknown>> {
  const id = await resolveStatementId(invocation.statementId, invocation.executionArn);
  const { redshiftData } = clients();
  logger.info('statement action', { action: invocation.action, statementId: id, latest: invocation.statementId === LATEST });
  switch (invocation.action) {
    case 'describeStatement':
      return toPlainResponse(await redshiftData.send(new DescribeStatementCommand({ Id: id })));
    case 'cancelStatement':
      return toPlainResponse(await redshiftData.send(new CancelStatementCommand({ Id: id })));
    case 'getStatementResult':
      // CSV results (a statement started with resultFormat CSV) are only served by GetStatementResultV2.
      return toPlainResponse(
        invocation.resultFormat === 'CSV'
          ? await redshiftData.send(new GetStatementResultV2Command({ Id: id, NextToken: invocation.nextToken }))
          : await redshiftData.send(new GetStatementResultCommand({ Id: id, NextToken: invocation.nextToken })),
      );
  }
}
