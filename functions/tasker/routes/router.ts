/**
 * Tells the kinds of event the one `handler` receives apart. Checked in this order, from the most
 * specific shape to the catch-all (a direct invocation payload).
 */
import { TERRAFORM_LIFECYCLE } from '../../shared/contract';
import { isCloudFormationEvent } from './cloudformation';
import { isExecutionStatusEvent } from './execution-ended';

export type Route =
  | 'sqs-status-events'
  | 'sweep-schedule'
  | 'execution-status-change'
  | 'cloudformation'
  | 'terraform-lifecycle'
  | 'direct-invocation';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function routeOf(event: unknown): Route {
  if (!isRecord(event)) return 'direct-invocation';
  if (
    Array.isArray(event.Records) &&
    event.Records.length > 0 &&
    event.Records.every((record) => isRecord(record) && record.eventSource === 'aws:sqs')
  ) {
    return 'sqs-status-events';
  }
  if (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event') return 'sweep-schedule';
  if (isExecutionStatusEvent(event)) return 'execution-status-change';
  if (isCloudFormationEvent(event)) return 'cloudformation';
  // aws_lambda_invocation with lifecycle_scope = "CRUD" adds a `tf` object ({action, prev_input}): terraform-lifecycle.ts.
  if (isRecord(event[TERRAFORM_LIFECYCLE.KEY])) return 'terraform-lifecycle';
  return 'direct-invocation';
}
