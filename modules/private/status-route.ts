/**
 * The route of statement status-change events to the completer: an EventBridge rule matching this
 * tasker's statement names, delivering to an encrypted SQS queue (with a dead-letter queue), and the
 * queues' policies admitting that rule.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Op, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { statementStatusEventPattern, STATUS_RULE_RETRY_POLICY } from '../event-pattern';
import type { ResolvedTaskerConfig } from '../tasker-config';
import type { TaskerNames } from './naming';
import { deadLetterQueuePolicy, eventQueuePolicy } from './resource-policies';
import { terraformJson } from './terraform-json';

/** Messages stay in the dead-letter queue for 14 days, the SQS maximum, to leave time to look at them. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 86_400;

export interface StatusRoute {
  readonly queue: SqsQueue;
  readonly deadLetterQueue?: SqsQueue;
  readonly eventRule: CloudwatchEventRule;
}

/** The rule, queue and dead-letter queue (with `deployDeadLetterQueue`), created in `scope`. */
export function createStatusRoute(
  scope: Construct,
  input: { names: TaskerNames; config: ResolvedTaskerConfig; keyArn: string; tags?: Record<string, string> },
): StatusRoute {
  const { names, config, keyArn, tags } = input;
  const deadLetterQueue = config.deployDeadLetterQueue
    ? new SqsQueue(scope, 'DeadLetterQueue', {
        name: names.deadLetterQueue,
        kmsMasterKeyId: keyArn,
        messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        tags,
      })
    : undefined;
  const queue = new SqsQueue(scope, 'Queue', {
    name: names.queue,
    kmsMasterKeyId: keyArn,
    // Six times the function timeout, as Lambda advises for SQS sources, so a message is not
    // redelivered while a slow batch is still being handled.
    visibilityTimeoutSeconds: Token.isUnresolved(config.timeout) ? Op.mul(6, config.timeout) : 6 * config.timeout,
    redrivePolicy: deadLetterQueue
      ? terraformJson({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: config.maxReceiveCount })
      : undefined,
    tags,
  });
  const eventRule = createStatusRule(scope, input, queue, deadLetterQueue);
  return { queue, deadLetterQueue, eventRule };
}

function createStatusRule(
  scope: Construct,
  input: { names: TaskerNames; config: ResolvedTaskerConfig; tags?: Record<string, string> },
  queue: SqsQueue,
  dlq: SqsQueue | undefined,
): CloudwatchEventRule {
  const { statementNamePrefix } = input.config;
  const rule = new CloudwatchEventRule(scope, 'StatusRule', {
    name: input.names.eventRule,
    description: `Redshift Data API status changes of statements named ${statementNamePrefix}*`,
    eventPattern: terraformJson(statementStatusEventPattern(statementNamePrefix)),
    tags: input.tags,
  });
  new CloudwatchEventTarget(scope, 'StatusRuleTarget', {
    rule: rule.name,
    targetId: 'statement-events-queue',
    arn: queue.arn,
    // EventBridge's own defaults, made explicit: an event it cannot deliver to the queue (queue policy,
    // key or throttling trouble) is retried for a day, then goes to the dead-letter queue, not lost.
    retryPolicy: STATUS_RULE_RETRY_POLICY,
    deadLetterConfig: dlq ? { arn: dlq.arn } : undefined,
  });
  new SqsQueuePolicy(scope, 'QueuePolicy', { queueUrl: queue.url, policy: terraformJson(eventQueuePolicy(queue.arn, rule.arn)) });
  if (dlq !== undefined) {
    new SqsQueuePolicy(scope, 'DeadLetterQueuePolicy', {
      queueUrl: dlq.url,
      policy: terraformJson(deadLetterQueuePolicy(dlq.arn, rule.arn)),
    });
  }
  return rule;
}
