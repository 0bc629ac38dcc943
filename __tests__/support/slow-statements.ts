/**
 * A local tasker whose SQL containing `SLOW` stays STARTED for a minute (a slow statement without blocking
 * PostgreSQL), with quick redelivery: for the end-to-end tests of timeouts and cancels.
 */
import type { LocalTaskerOptions } from '../../local/stack';

/** SQL containing this marker stays STARTED for a long time. */
export const SLOW = '/* slow */';

export const SLOW_STATEMENT_TASKER_OPTIONS: LocalTaskerOptions = {
  dataApi: { statementDelayMs: ({ sqls }) => (sqls.some((sql) => sql.includes(SLOW)) ? 60_000 : 0) },
  delivery: { visibilityTimeoutMs: 50, maxReceiveCount: 3 },
};
