/**
 * Data API sessions: a statement that starts a session (`SessionKeepAliveSeconds`) keeps its database
 * connection open after it ends, and a later statement sent with its `SessionId` runs on that connection,
 * so temporary tables and session settings carry over from one state to the next.
 *
 * The session id a statement ran in is stored on its tracking item (one attribute, written with the
 * registration), so the success callback can pass it on and `sessionId: "LATEST"` is one Query plus one
 * GetItem, with no Data API call.
 */
import { SessionBusyError, SessionNotFoundError } from '../platform/errors';
import { LATEST, type SessionRequest } from '../input/invocation-schema';
import type { TrackingTable } from '../table/tracking-table';

/** Where a statement runs: an existing session, or (no `SessionId`) the configured target, which DataApi adds. */
export interface SessionFields {
  SessionId?: string;
  SessionKeepAliveSeconds?: number;
}

/** The session id to run in: the given one, or for `LATEST` the session of the execution's newest statement. */
export async function resolveSessionId(table: TrackingTable, sessionId: string, executionArn: string | undefined): Promise<string> {
  if (sessionId !== LATEST) return sessionId;
  const latest = await table.indexes.latestForExecution(executionArn as string);
  const found = latest ? (await table.calls.get(latest.pk))?.sessionId : undefined;
  if (!found) {
    throw new SessionNotFoundError(
      latest
        ? `sessionId LATEST: the newest statement of execution ${executionArn} (${latest.statementId}) ran in no session; start one ` +
            `with sessionKeepAliveSeconds`
        : `sessionId LATEST: no statement was started for execution ${executionArn}`,
    );
  }
  return found;
}

/** The Data API request fields that place a statement: the session, or none (the target), plus the keep-alive. */
export function sessionFields(session: SessionRequest | undefined, resolvedSessionId: string | undefined): SessionFields {
  const keepAlive = session?.keepAliveSeconds !== undefined ? { SessionKeepAliveSeconds: session.keepAliveSeconds } : {};
  if (resolvedSessionId !== undefined) return { SessionId: resolvedSessionId, ...keepAlive };
  return keepAlive;
}

/** Data API errors that mean "the session (or the session quota) is busy now": worth a retry. */
const SESSION_BUSY_NAMES = new Set(['ActiveSessionsExceededException', 'ActiveWaitingRequestsExceededException']);

/**
 * A start error as the named, retryable `RedshiftSessionBusy`, or undefined when it is something else.
 * A statement sent to a session that runs another statement is refused with a ValidationException
 * naming the busy session (the text is matched, the service gives it no error code of its own).
 */
export function sessionBusyError(error: unknown, message: string): SessionBusyError | undefined {
  if (!(error instanceof Error)) return undefined;
  const busySession =
    error.name === 'ValidationException' && /session/i.test(error.message) && /busy|in use|already running/i.test(error.message);
  return SESSION_BUSY_NAMES.has(error.name) || busySession ? new SessionBusyError(message) : undefined;
}
