/**
 * CloudFormation custom resources: start the statement, answer the presigned ResponseURL when it ends.
 *
 * Which SQL runs, first match wins:
 *   1. `sqlStatement` / `sqlStatements` at the top of the event (set by a small mapping function, as the original);
 *   2. `ResourceProperties.<create|update|delete>SqlStatement` for the request type;
 *   3. `ResourceProperties.sqlStatement` / `sqlStatements` — for Create and Update only, so a Delete never
 *      re-runs the creating SQL. A Delete with no SQL answers SUCCESS at once.
 * The physical id is `<LogicalResourceId>:<invocation key>` on Create and unchanged on Update/Delete.
 * Invalid input and start failures answer FAILED at once (CloudFormation would otherwise wait an hour).
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { putCloudFormationResponse } from '../completion/callbacks';
import type { CloudFormationResponse } from '../completion/cloudformation-response';
import { errorMessage, errorName, InvalidInput } from '../platform/errors';
import { cloudFormationKeyFor } from '../input/idempotency';
import { parseInvocation, type StartInvocation } from '../input/invocation-schema';
import type { TimeBudget } from '../statements/run-to-completion';
import { logger } from '../platform/logger';
import { startStatement } from './start-statement';
import type { TaskerContext } from '../platform/tasker-context';

type CfnEvent = CloudFormationCustomResourceEvent & Record<string, unknown>;

/** True for a custom-resource request (what the router checks). */
export const isCloudFormationEvent = (event: Record<string, unknown>): boolean =>
  typeof event.RequestType === 'string' && typeof event.ResponseURL === 'string';

export interface CloudFormationResult {
  /** `started`: answered when the statement ends; `answered`: SUCCESS/FAILED already sent. */
  outcome: 'started' | 'answered';
  physicalResourceId: string;
  statementId?: string;
}

export async function handleCloudFormation(ctx: TaskerContext, event: CfnEvent, budget?: TimeBudget): Promise<CloudFormationResult> {
  for (const field of ['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      // Without these there is nobody to answer: fail the invocation instead.
      throw new InvalidInput(`${field}: is required in a CloudFormation request`);
    }
  }
  const key = cloudFormationKeyFor(event.StackId, event.RequestId, event.LogicalResourceId);
  const physicalResourceId =
    event.RequestType === 'Create' || typeof event.PhysicalResourceId !== 'string'
      ? `${event.LogicalResourceId}:${key}`
      : event.PhysicalResourceId;
  const respond = async (status: 'SUCCESS' | 'FAILED', reason?: string): Promise<CloudFormationResult> => {
    const response: CloudFormationResponse = {
      Status: status,
      Reason: reason,
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: false,
    };
    await putCloudFormationResponse(event.ResponseURL, response);
    logger.info('CloudFormation answered at once', { key, requestType: event.RequestType, status });
    return { outcome: 'answered', physicalResourceId };
  };

  if (!['Create', 'Update', 'Delete'].includes(event.RequestType)) {
    return respond('FAILED', `InvalidInput: RequestType: must be Create, Update or Delete`);
  }
  const sqlFields = sqlFieldsOf(event);
  if (sqlFields === undefined) {
    if (event.RequestType === 'Delete') return respond('SUCCESS', 'Delete with no SQL for it: nothing to run');
    return respond('FAILED', `InvalidInput: sqlStatement: is required for ${event.RequestType}`);
  }
  let invocation: StartInvocation;
  try {
    invocation = parseInvocation({ ...sqlFields, action: 'executeStatement' }) as StartInvocation;
  } catch (error) {
    return respond('FAILED', `${errorName(error)}: ${errorMessage(error)}`);
  }
  try {
    const started = await startStatement(ctx, invocation, {
      key,
      budget,
      cloudFormation: {
        responseUrl: event.ResponseURL,
        stackId: event.StackId,
        requestId: event.RequestId,
        logicalResourceId: event.LogicalResourceId,
        physicalResourceId,
        requestType: event.RequestType,
      },
    });
    return { outcome: 'started', physicalResourceId, statementId: started.statementId };
  } catch (error) {
    return respond('FAILED', `${errorName(error)}: ${errorMessage(error)}`);
  }
}

/** The SQL fields of the request (see the module comment), or undefined when it carries none. */
function sqlFieldsOf(event: CfnEvent): Record<string, unknown> | undefined {
  const pick = (source: Record<string, unknown>, sqlField: string): Record<string, unknown> | undefined => {
    if (source[sqlField] === undefined && source.sqlStatements === undefined) return undefined;
    const fields: Record<string, unknown> = {};
    if (source[sqlField] !== undefined) fields.sqlStatement = source[sqlField];
    for (const name of ['sqlStatements', 'parameters', 'executionMode']) if (source[name] !== undefined) fields[name] = source[name];
    return fields;
  };
  const properties = (event.ResourceProperties ?? {}) as Record<string, unknown>;
  const byType = properties[`${event.RequestType.toLowerCase()}SqlStatement`];
  return (
    pick(event, 'sqlStatement') ??
    (byType !== undefined ? { sqlStatement: byType } : undefined) ??
    (event.RequestType === 'Delete' ? undefined : pick(properties, 'sqlStatement'))
  );
}
