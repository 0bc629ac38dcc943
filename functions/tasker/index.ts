/**
 * Entry point of the tasker Lambda function. One handler, routed by the shape of the event:
 * - an SQS batch of Redshift Data status-change events → complete the tracked calls (sqs-batch.ts);
 * - the EventBridge schedule → sweep: lost events, heartbeats, orphans (sweep.ts);
 * - a Step Functions execution that ended → cancel its running statements (execution-ended.ts);
 * - a CloudFormation custom-resource request (cloudformation.ts);
 * - an aws_lambda_invocation lifecycle event (`tf`) → run SQL synchronously (terraform-lifecycle.ts);
 * - anything else → a direct invocation: start a statement or describe/cancel/fetch one.
 * The container's context (configuration, table, Data API, Step Functions; tasker-context.ts) is built here
 * on the first invocation and passed to every route.
 */
import type { Context } from 'aws-lambda';
import { handleCloudFormation } from './routes/cloudformation';
import { handleExecutionEnded } from './routes/execution-ended';
import { parseInvocation, START_ACTIONS, type StartInvocation, type StatementInvocation } from './input/invocation-schema';
import { logger } from './platform/logger';
import { routeOf } from './routes/router';
import { handleSqsBatch } from './routes/sqs-batch';
import { startStatement } from './routes/start-statement';
import { timeBudgetOf, type TimeBudget } from './statements/run-to-completion';
import { runStatementAction } from './routes/statement-actions';
import { sweep } from './routes/sweep';
import { createTaskerContext, type TaskerContext } from './platform/tasker-context';
import { handleTerraformLifecycle } from './routes/terraform-lifecycle';

let cached: TaskerContext | undefined;

/** Drops the container's context and its clients (tests change the environment between cases). */
export function resetTaskerContext(): void {
  cached?.destroy();
  cached = undefined;
}

export const handler = async (event: unknown, context?: Context): Promise<unknown> => {
  if (context) logger.addContext(context);
  // Built (and the configuration validated) before routing: a deployment error fails every route the same way.
  cached ??= createTaskerContext();
  const ctx = cached;
  const route = routeOf(event);
  const budget = timeBudgetOf(context);
  logger.debug('routing event', { route });
  switch (route) {
    case 'sqs-status-events':
      return handleSqsBatch(ctx, event as Parameters<typeof handleSqsBatch>[1]);
    case 'sweep-schedule':
      // The context bounds the sweep by the invocation's time left.
      return sweep(ctx, budget);
    case 'execution-status-change':
      return handleExecutionEnded(ctx, event as Parameters<typeof handleExecutionEnded>[1]);
    case 'cloudformation':
      return handleCloudFormation(ctx, event as Parameters<typeof handleCloudFormation>[1], budget);
    case 'terraform-lifecycle':
      return handleTerraformLifecycle(ctx, event, budget);
    case 'direct-invocation':
      return directInvocation(ctx, event, budget);
  }
};

async function directInvocation(ctx: TaskerContext, payload: unknown, budget: TimeBudget | undefined): Promise<unknown> {
  // Parsing throws InvalidInput before anything is written or started.
  const invocation = parseInvocation(payload);
  if ((START_ACTIONS as readonly string[]).includes(invocation.action)) {
    // The context bounds the fast path's wait by the invocation's time left.
    const started = await startStatement(ctx, invocation as StartInvocation, { budget });
    return started.response;
  }
  return runStatementAction(ctx, invocation as StatementInvocation);
}
