/**
 * The EventBridge pattern that routes this tasker's Redshift Data API status-change events to its queue.
 *
 * Exported so local stand-ins (and tests) apply exactly the rule the construct deploys:
 * `matchesStatementStatusEvent(pattern, event)` evaluates the subset of EventBridge pattern
 * syntax this pattern uses (exact values and `prefix`).
 */
import { STATUS_EVENT } from '../functions/shared/contract';

/** A value matcher of an EventBridge pattern: an exact value or `{ prefix }`. */
export type PatternValue = string | { readonly prefix: string };

export interface StatementStatusEventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail: {
    readonly statementName: readonly PatternValue[];
    readonly state: readonly string[];
  };
}

/** The pattern for terminal status changes of statements whose name starts with `statementNamePrefix`. */
export function statementStatusEventPattern(statementNamePrefix: string): StatementStatusEventPattern {
  return {
    source: [STATUS_EVENT.SOURCE],
    'detail-type': [STATUS_EVENT.DETAIL_TYPE],
    detail: {
      statementName: [{ prefix: statementNamePrefix }],
      state: [...STATUS_EVENT.STATES],
    },
  };
}

/** True when `event` matches `pattern`, as EventBridge would decide for the pattern above. */
export function matchesStatementStatusEvent(pattern: StatementStatusEventPattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as { source?: unknown; 'detail-type'?: unknown; detail?: Record<string, unknown> };
  return (
    matchesAny(pattern.source, e.source) &&
    matchesAny(pattern['detail-type'], e['detail-type']) &&
    typeof e.detail === 'object' &&
    e.detail !== null &&
    matchesAny(pattern.detail.statementName, e.detail.statementName) &&
    matchesAny(pattern.detail.state, e.detail.state)
  );
}

function matchesAny(values: readonly PatternValue[], actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  return values.some((value) => (typeof value === 'string' ? value === actual : actual.startsWith(value.prefix)));
}

/** Retry policy of the status rule's target: EventBridge's defaults (24 hours, 185 attempts), made explicit. */
export const STATUS_RULE_RETRY_POLICY = { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 } as const;
