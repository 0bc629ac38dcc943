/**
 * A statement's life after it is submitted: SUBMITTED, then STARTED on the next tick, the optional artificial
 * delay (cancellable, so tests can observe STARTED and cancel), the engine run, and the end (FINISHED, FAILED or
 * ABORTED) with its status-change event. Delays are kit time (clock.ts), so a scaled kit shortens them.
 */
import type { KitClock } from '../clock';
import { EngineAborted, type SqlEngine } from './engine';
import { buildStatusChangeEvent, targetArn, type StatusChangeEvent, type TerminalState } from './events';
import { aggregate, isTerminal, targetOf, type Statement, type Status, type SubStatement } from './statement-model';
import type { SessionRegistry } from './sessions';

export type StatementDelay = number | ((statement: { sqls: readonly string[]; statementName?: string }) => number);

export interface StatementRunnerOptions {
  engine: SqlEngine;
  region: string;
  account: string;
  /** `detail.principal` of the events. */
  principal: string;
  /** Kit milliseconds a statement stays STARTED before it runs. */
  statementDelayMs: StatementDelay;
  /** Kit milliseconds a statement stays SUBMITTED. */
  submittedMs: number;
  clock: KitClock;
  emit: (event: StatusChangeEvent) => void;
}

export class StatementRunner {
  private queryIds = 100_000;

  constructor(
    private readonly options: StatementRunnerOptions,
    private readonly sessions: SessionRegistry,
  ) {}

  /** Runs `statement` to its end (never rejects). */
  async run(statement: Statement): Promise<void> {
    const { clock } = this.options;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.options.submittedMs > 0 && !(await clock.sleep(this.options.submittedMs, statement.abort.signal))) return;
    if (isTerminal(statement.status)) return;
    statement.status = 'STARTED';
    statement.updatedAt = new Date(clock.now());
    statement.startedAtNs = this.nowNs();
    const delay = this.delayFor(statement);
    if (delay > 0 && !(await clock.sleep(delay, statement.abort.signal))) return;
    const transaction = statement.request.isBatch && statement.request.executionMode === 'TRANSACTION';
    for (const sub of statement.subs) this.transition(sub, 'STARTED');
    try {
      // A session's statements run on its own connection.
      const outcomes = await (statement.session?.connection ?? this.options.engine).run(
        statement.subs.map((s) => s.bound),
        { transaction, signal: statement.abort.signal },
      );
      if (isTerminal(statement.status)) return; // cancelled while the engine ran
      outcomes.forEach((outcome, i) => {
        const sub = statement.subs[i];
        sub.queryId = ++this.queryIds;
        if (outcome.ok) {
          sub.hasResultSet = outcome.hasResultSet;
          sub.resultRows = outcome.rowCount;
          sub.result = { columns: outcome.columns, rows: outcome.rows };
          this.transition(sub, 'FINISHED');
        } else {
          sub.error = `ERROR: ${outcome.message}`;
          this.transition(sub, 'FAILED');
        }
      });
      const failed = statement.subs.find((s) => s.status === 'FAILED');
      this.finish(statement, failed ? 'FAILED' : 'FINISHED', failed?.error);
    } catch (err) {
      if (isTerminal(statement.status)) return;
      if (err instanceof EngineAborted) this.finish(statement, 'ABORTED');
      else this.finish(statement, 'FAILED', `ERROR: ${(err as Error).message ?? String(err)}`);
    }
  }

  /** Ends the statement in `state`: its open sub-statements are ABORTED, its session released, its event sent. */
  finish(statement: Statement, state: TerminalState, error?: string): void {
    for (const sub of statement.subs) if (!isTerminal(sub.status)) this.transition(sub, 'ABORTED');
    statement.status = state;
    statement.error = error;
    statement.updatedAt = new Date(this.options.clock.now());
    if (statement.startedAtNs !== undefined) statement.durationNs = Number(this.nowNs() - statement.startedAtNs);
    statement.markEnded();
    if (statement.session) this.sessions.release(statement.session);
    if (statement.request.withEvent) this.emitEvent(statement, state);
  }

  /** Nanoseconds on the kit's clock (durations scale with it, as the delays do). */
  private nowNs(): bigint {
    return BigInt(Math.round(this.options.clock.now() * 1e6));
  }

  private delayFor(statement: Statement): number {
    const { statementDelayMs } = this.options;
    return typeof statementDelayMs === 'number'
      ? statementDelayMs
      : statementDelayMs({ sqls: statement.request.sqls, statementName: statement.request.statementName });
  }

  private transition(sub: SubStatement, status: Status): void {
    const now = this.nowNs();
    if (status === 'STARTED') sub.startedAtNs = now;
    else if (sub.startedAtNs !== undefined) sub.durationNs = Number(now - sub.startedAtNs);
    sub.status = status;
    sub.updatedAt = new Date(this.options.clock.now());
  }

  private emitEvent(statement: Statement, state: TerminalState): void {
    const last = [...statement.subs].reverse().find((s) => s.queryId > 0);
    const event = buildStatusChangeEvent({
      account: this.options.account,
      region: this.options.region,
      principal: this.options.principal,
      resourceArn: targetArn(targetOf(statement), this.options.region, this.options.account),
      statementId: statement.id,
      statementName: statement.request.statementName,
      redshiftQueryId: last?.queryId ?? -1,
      state,
      rows: state === 'FINISHED' ? aggregate(statement).resultRows : -1,
      endedAt: statement.updatedAt,
    });
    // Delivered after the current call returns, as EventBridge delivers asynchronously.
    setImmediate(() => this.options.emit(event));
  }
}
