/**
 * The handler's CloudWatch metrics (contract METRICS), written with Powertools Metrics in the embedded
 * metric format: one JSON log line per data point, which CloudWatch Logs turns into metrics (no API call).
 *
 * Each data point is a "single metric" flushed at once, so a metric carries exactly its own dimensions
 * (`service` = the tasker's name, plus at most one of action/outcome/error) and nothing waits for an end-of-invocation flush.
 * Dimension values come from small fixed sets; never pass SQL text, parameters, ids or tokens.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV, METRICS } from '../../shared/contract';

type MetricName = (typeof METRICS.NAMES)[keyof typeof METRICS.NAMES];
type DimensionName = Exclude<(typeof METRICS.DIMENSIONS)[keyof typeof METRICS.DIMENSIONS], typeof METRICS.DIMENSIONS.TASKER>;

let cached: Metrics | undefined;

/** The container's Metrics instance, created on first use (tests change the environment between cases). */
function metrics(): Metrics {
  // Powertools always adds the `service` dimension: it carries the tasker's name (contract METRICS.DIMENSIONS.TASKER).
  cached ??= new Metrics({
    namespace: process.env[ENV.METRICS_NAMESPACE] || METRICS.DEFAULT_NAMESPACE,
    serviceName: process.env[ENV.TASKER_NAME] || 'sfn-redshift-tasker',
  });
  return cached;
}

/** Forgets the instance (tests change POWERTOOLS_METRICS_* between cases). */
export function resetMetrics(): void {
  cached = undefined;
}

function emit(
  name: MetricName,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
  dimension?: [DimensionName, string],
): void {
  const point = metrics().singleMetric();
  if (dimension) point.addDimension(dimension[0], dimension[1]);
  point.addMetric(name, unit, value);
}

/** Counts `value` (default 1) of `name`, with at most one extra low-cardinality dimension. */
export function countMetric(name: MetricName, dimension?: [DimensionName, string], value = 1): void {
  if (value > 0) emit(name, MetricUnit.Count, value, dimension);
}

/** Records a duration in milliseconds. */
export function millisecondsMetric(name: MetricName, milliseconds: number): void {
  emit(name, MetricUnit.Milliseconds, Math.max(0, milliseconds));
}

/** A level that is reported even when 0 (a count of waiting items, an age), so its alarm sees it recover. */
export function gaugeMetric(name: MetricName, unit: 'Count' | 'Seconds', value: number): void {
  emit(name, unit === 'Count' ? MetricUnit.Count : MetricUnit.Seconds, Math.max(0, value));
}
