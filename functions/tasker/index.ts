/**
 * Entry point of the tasker Lambda function. One handler, routed by the shape of the event:
 * - an SQS batch of Redshift Data status-change events → complete the tracked calls (sqs-batch.ts);
 * - the EventBridge schedule → sweep: lost events, heartbeats, orphans (sweep.ts);
 * - a Step Functions execution that ended → cancel its running statements (execution-ended.ts);
 * - a CloudFormation custom-resource request (cloudformation.ts);
 * - an aws_lambda_invocation lifecycle event (`tf`) → run SQL synchronously (terraform-lifecycle.ts);
 * - anything else → a direct invocation: start a statement or describe/cancel/fetch one.
 */
import type { Context } from 'aws-lambda';
import { handleCloudFormation } from './cloudformation';
import { getConfig } from './config';
import { handleExecutionEnded } from './execution-ended';
import { parseInvocation, START_ACTIONS, type StartInvocation, type StatementInvocation } from './invocation-schema';
import { logger } from './logger';
import { routeOf } from './router';
import { handleSqsBatch } from './sqs-batch';
import { startStatement } from './start-statement';
import { runStatementAction } from './statement-actions';
import { sweep } from './sweep';
import { handleTerraformLifecycle } from './terraform-lifecycle';

export const handler = async (event: unknown, context?: Context): Promise<unknown> => {
  if (context) logger.addContext(context);
  // Validate the configuration up front: a deployment error fails every route the same way.
  getConfig();
  const route = routeOf(event);
  logger.debug('routing event', { route });
  switch (route) {
    case 'sqs-status-events':
      return handleSqsBatch(event as Parameters<typeof handleSqsBatch>[0]);
    case 'sweep-schedule':
      return sweep();
    case 'execution-status-change':
      return handleExecutionEnded(event as Parameters<typeof handleExecutionEnded>[0]);
    case 'cloudformation':
      return handleCloudFormation(event as Parameters<typeof handleCloudFormation>[0], context);
    case 'terraform-lifecycle':
      return handleTerraformLifecycle(event, context);
    case 'direct-invocation':
      return directInvocation(event, context);
  }
};

async function directInvocation(payload: unknown, context: Context | undefined): Promise<unknown> {
  // Parsing throws InvalidInput before anything is written or started.
  const invocation = parseInvocation(payload);
  if ((START_ACTIONS as readonly string[]).includes(invocation.action)) {
    // The context bounds the fast path's wait by the invocation's time left.
    const started = await startStatement(invocation as StartInvocation, { budget: context });
    return started.response;
  }
  return runStatementAction(invocation as StatementInvocation);
}
