/**
 * describeStatement, cancelStatement and getStatementResult: one Data API call each (plus one Query for
 * `LATEST`), answered in the Data API's response shapes as the original handler did.
 */
import { toPlainResponse } from '../platform/data-api';
import { PreviousExecutionNotFound } from '../platform/errors';
import { LATEST, type StatementInvocation } from '../input/invocation-schema';
import { logger } from '../platform/logger';
import type { TaskerContext } from '../platform/tasker-context';
import type { TrackingTable } from '../table/tracking-table';

/** The statement id a call means: the given id, or for `LATEST` the newest tracked statement of the execution. */
export async function resolveStatementId(table: TrackingTable, statementId: string, executionArn: string | undefined): Promise<string> {
  if (statementId !== LATEST) return statementId;
  const latest = await table.indexes.latestForExecution(executionArn as string);
  if (!latest?.statementId) {
    throw new PreviousExecutionNotFound(`no statement was started for execution ${executionArn}`);
  }
  return latest.statementId;
}

export async function runStatementAction(
  { table, dataApi }: TaskerContext,
  invocation: StatementInvocation,
): Promise<Record<string, unknown>> {
  const id = await resolveStatementId(table, invocation.statementId, invocation.executionArn);
  logger.info('statement action', { action: invocation.action, statementId: id, latest: invocation.statementId === LATEST });
  switch (invocation.action) {
    case 'describeStatement':
      return toPlainResponse(await dataApi.describe(id));
    case 'cancelStatement':
      return toPlainResponse(await dataApi.cancel(id));
    case 'getStatementResult':
      return toPlainResponse(
        invocation.resultFormat === 'CSV'
          ? await dataApi.resultCsv(id, invocation.nextToken)
          : await dataApi.result(id, invocation.nextToken),
      );
  }
}
