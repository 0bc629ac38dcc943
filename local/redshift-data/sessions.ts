/**
 * Data API sessions of the local service: each holds one database connection of its own
 * (`SqlEngine.openSession`), so a temporary table created by one statement of a session is there for the
 * next statement of that session and for no other statement.
 *
 * As the real service: a session is opened by a statement with `SessionKeepAliveSeconds`, runs one
 * statement at a time (another one sent meanwhile is refused), and closes once it has been idle for its
 * keep-alive; a later statement in it may set a new keep-alive.
 */
import { randomUUID } from 'node:crypto';
import type { EngineSession, SqlEngine } from './engine';
import { DataApiError, validationError } from './errors';
import type { Target } from './requests';

export interface LocalSession {
  readonly id: string;
  readonly target: Target;
  readonly connection: EngineSession;
  keepAliveSeconds: number;
  /** The statement running in it, if any. */
  busyWith?: string;
  expiry?: NodeJS.Timeout;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, LocalSession>();

  constructor(
    private readonly engine: SqlEngine,
    private readonly maxSessions: number,
  ) {}

  /** Opens a session for a statement starting now (it is busy with that statement until `release`). */
  async open(target: Target, keepAliveSeconds: number, statementId: string): Promise<LocalSession> {
    if (!this.engine.openSession) {
      throw validationError(
        'Sessions need the PostgreSQL-server engine (startLocalRedshiftData({ connectionString })): the embedded PGlite engine is ' +
          'one connection shared by every statement, so a session could not keep its temporary tables to itself.',
      );
    }
    if (this.sessions.size >= this.maxSessions) {
      throw new DataApiError('ActiveSessionsExceededException', `The number of active sessions exceeds the limit of ${this.maxSessions}.`);
    }
    const session: LocalSession = {
      id: randomUUID(),
      target,
      connection: await this.engine.openSession(),
      keepAliveSeconds,
      busyWith: statementId,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Takes an open, idle session for a statement; refuses an unknown, expired or busy one. */
  take(id: string, statementId: string, keepAliveSeconds: number | undefined): LocalSession {
    const session = this.sessions.get(id);
    if (!session)
      throw new DataApiError('ResourceNotFoundException', `Session ${id} does not exist or has expired.`, 400, { ResourceId: id });
    if (session.busyWith !== undefined) {
      throw validationError(
        `Session ${id} is busy: statement ${session.busyWith} is running in it. Send the next statement once it has ended.`,
      );
    }
    clearTimeout(session.expiry);
    session.busyWith = statementId;
    if (keepAliveSeconds !== undefined) session.keepAliveSeconds = keepAliveSeconds;
    return session;
  }

  /** The statement in the session ended: it is idle, and closes after its keep-alive unless used again. */
  release(session: LocalSession): void {
    session.busyWith = undefined;
    if (!this.sessions.has(session.id)) return;
    if (session.keepAliveSeconds <= 0) return void this.close(session);
    session.expiry = setTimeout(() => void this.close(session), session.keepAliveSeconds * 1000);
    session.expiry.unref();
  }

  /** Closes a session now (its keep-alive ran out, or a failed start opened it for nothing). */
  async close(session: LocalSession): Promise<void> {
    clearTimeout(session.expiry);
    if (!this.sessions.delete(session.id)) return;
    await session.connection.close();
  }

  count(): number {
    return this.sessions.size;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => this.close(session)));
  }
}
