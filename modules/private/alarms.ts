/**
 * The tasker's optional CloudWatch alarms (prop `alarms`), each notifying the SNS topic when given, on
 * alarm and on recovery. Missing data (no traffic) never alarms.
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Fn, Op, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { METRICS } from '../../functions/shared/contract';
import { mayBeNull } from '../plan-time';
import type { ResolvedAlarms } from '../tasker-config';

/** Standard period of the alarms (SQS publishes its metrics every 5 minutes). */
const PERIOD_SECONDS = 300;
/** Sweep repairs are rare by nature: counted over 15 minutes (three default sweeps). */
const SWEEP_REPAIRS_PERIOD_SECONDS = 900;
/** The sweep reports pending callbacks once per run: over 15 minutes, an alarm sees at least one report at the default schedule. */
const PENDING_CALLBACKS_PERIOD_SECONDS = 900;

export interface TaskerAlarmsInput {
  readonly namePrefix: string;
  readonly settings: ResolvedAlarms;
  /** The tasker's functions (starter first), each with its own errors and throttles alarms. */
  readonly functions: readonly { readonly id: string; readonly name: string; readonly fn: LambdaFunction }[];
  readonly queue?: SqsQueue;
  readonly deadLetterQueue?: SqsQueue;
  /** The handler's metrics namespace, when metrics may be on (the sweep-repairs alarm reads it). */
  readonly metricsNamespace?: string;
  /** Whether metrics are on: the sweep-repairs alarm needs them (a reference decides at plan time). */
  readonly metrics: boolean;
  readonly tags?: Record<string, string>;
}

type AlarmShape = Pick<
  ConstructorParameters<typeof CloudwatchMetricAlarm>[2],
  'alarmName' | 'alarmDescription' | 'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'period' | 'threshold' | 'comparisonOperator'
>;

/** `count` of an alarm that exists while every flag holds; undefined when all are plain (the caller created it or not). */
function countWhile(flags: boolean[]): number | undefined {
  const references = flags.filter((flag) => Token.isUnresolved(flag));
  if (references.length === 0) return undefined;
  const all = references.slice(1).reduce<unknown>((both, flag) => Op.and(both, flag), references[0]);
  return Token.asNumber(Fn.conditional(all, 1, 0));
}

/** The alarm actions: the topic, none without one; a topic given as `orNull(reference)` may be null at plan time. */
function actionsFor(topicArn: string | undefined): string[] | undefined {
  if (topicArn === undefined) return undefined;
  if (mayBeNull(topicArn)) return Token.asList(Fn.conditional(Op.eq(topicArn, Token.nullValue()), [], [topicArn]));
  return [topicArn];
}

/** One alarm to create: its construct id, metric and threshold, and the plan-time flags it also needs. */
interface AlarmSpec {
  readonly id: string;
  readonly shape: AlarmShape;
  readonly also?: boolean[];
}

/** Completion events the tasker could not take, waiting in the dead-letter queue. */
function deadLetterAlarms(input: TaskerAlarmsInput): AlarmSpec[] {
  if (!input.deadLetterQueue) return [];
  return [
    {
      id: 'DeadLetterQueueAlarm',
      shape: {
        alarmName: `${input.namePrefix}-dead-letters`,
        alarmDescription:
          'Completion events the tasker could not parse or claim are in the dead-letter queue; the sweep still completes their ' +
          'statements (see docs/operating.md)',
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: input.deadLetterQueue.name },
        statistic: 'Maximum',
        period: PERIOD_SECONDS,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
    },
  ];
}

/** Errors and throttles of each function. */
function functionAlarms(input: TaskerAlarmsInput): AlarmSpec[] {
  const { settings } = input;
  return input.functions.flatMap(({ id, name, fn }): AlarmSpec[] => [
    {
      id: `${id}ErrorsAlarm`,
      shape: {
        alarmName: `${name}-errors`,
        alarmDescription: `The tasker function failed at least ${settings.functionErrorsThreshold} times in 5 minutes`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: fn.functionName },
        statistic: 'Sum',
        period: PERIOD_SECONDS,
        threshold: settings.functionErrorsThreshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
    {
      id: `${id}ThrottlesAlarm`,
      shape: {
        alarmName: `${name}-throttles`,
        alarmDescription: 'The tasker function was throttled (reserved or account concurrency reached)',
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        dimensions: { FunctionName: fn.functionName },
        statistic: 'Sum',
        period: PERIOD_SECONDS,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
  ]);
}

/** The oldest completion event's age in the queue. */
function eventAgeAlarms(input: TaskerAlarmsInput): AlarmSpec[] {
  if (!input.queue) return [];
  const waited = `A completion event waited ${input.settings.oldestEventAgeSeconds} s or more in the queue`;
  return [
    {
      id: 'EventAgeAlarm',
      shape: {
        alarmName: `${input.namePrefix}-event-age`,
        alarmDescription: `${waited}: the completer fails or cannot keep up`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: input.queue.name },
        statistic: 'Maximum',
        period: PERIOD_SECONDS,
        threshold: input.settings.oldestEventAgeSeconds,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
  ];
}

/** The handler's own metrics: sweep repairs and pending callbacks (only while metrics are on). */
function handlerMetricAlarms(input: TaskerAlarmsInput): AlarmSpec[] {
  const { settings, namePrefix, metricsNamespace } = input;
  if (metricsNamespace === undefined || !input.queue || !(Token.isUnresolved(input.metrics) || input.metrics)) return [];
  const dimensions = { [METRICS.DIMENSIONS.TASKER]: namePrefix };
  return [
    {
      id: 'SweepRepairsAlarm',
      shape: {
        alarmName: `${namePrefix}-sweep-repairs`,
        alarmDescription:
          'The sweep completed statements whose status-change event never arrived: events are being lost (rule, queue policy or key)',
        namespace: metricsNamespace,
        metricName: METRICS.NAMES.SWEEP_REPAIRS,
        dimensions,
        statistic: 'Sum',
        period: SWEEP_REPAIRS_PERIOD_SECONDS,
        threshold: settings.sweepRepairsThreshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
      also: [input.metrics],
    },
    {
      id: 'PendingCallbacksAlarm',
      shape: {
        alarmName: `${namePrefix}-pending-callbacks`,
        alarmDescription:
          `A task callback has waited ${settings.pendingCallbackAgeSeconds} s or more for Step Functions to answer: ` +
          'Step Functions refuses or cannot be reached; the sweep keeps retrying it (see docs/operating.md)',
        namespace: metricsNamespace,
        metricName: METRICS.NAMES.OLDEST_PENDING_CALLBACK_AGE,
        dimensions,
        statistic: 'Maximum',
        period: PENDING_CALLBACKS_PERIOD_SECONDS,
        threshold: settings.pendingCallbackAgeSeconds,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
      also: [input.metrics],
    },
  ];
}

export function createTaskerAlarms(scope: Construct, input: TaskerAlarmsInput): CloudwatchMetricAlarm[] {
  const { settings } = input;
  if (!Token.isUnresolved(settings.enabled) && !settings.enabled) return [];
  const actions = actionsFor(settings.topicArn);
  const specs = [...deadLetterAlarms(input), ...functionAlarms(input), ...eventAgeAlarms(input), ...handlerMetricAlarms(input)];
  return specs.map(
    ({ id, shape, also = [] }) =>
      new CloudwatchMetricAlarm(scope, id, {
        ...shape,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        alarmActions: actions,
        okActions: actions,
        tags: input.tags,
        count: countWhile([settings.enabled, ...also]),
      }),
  );
}
