/**
 * The local tasker on AWS's clock: a scaled kit (timeScale) runs a pipeline of 20-minute statements in seconds,
 * the sweep runs on its schedule (heartbeats, a lost event repaired), HeartbeatSeconds fails a task whose
 * heartbeats stop, faults are injected for a span of kit time, and the fast path's output has the event's keys.
 * One PGlite engine is shared by the taskers of this file.
 */
import { createPgliteEngine, startLocalTasker, LocalTaskerConfigurationError, type LocalTasker, type SqlEngine } from '../../local';

jest.setTimeout(120_000);

let engine: SqlEngine;
const taskers: LocalTasker[] = [];
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(async () => {
  for (const tasker of taskers) await tasker.stop();
  await engine?.close();
});

const MINUTE = 60_000;
const SCALE = 1_200;
/** `-- minutes: N` in the SQL makes the statement run N minutes of kit time. */
const minutesMarker = (statement: { sqls: readonly string[] }): number =>
  Number(/-- minutes: (\d+)/.exec(statement.sqls.join(' '))?.[1] ?? 0) * MINUTE;

async function tasker(options: Parameters<typeof startLocalTasker>[0] = {}): Promise<LocalTasker> {
  const started = await startLocalTasker({ ...options, dataApi: { engine, statementDelayMs: minutesMarker, ...options.dataApi } });
  taskers.push(started);
  return started;
}

const sqlState = (fn: string, name: string, sql: string, next: string | undefined, extra: Record<string, unknown> = {}) => ({
  [name]: {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: fn, Payload: { 'taskToken.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id', sqlStatement: sql } },
    ResultPath: `$.${name}`,
    ...extra,
    ...(next ? { Next: next } : { End: true }),
  },
});

/** One direct start first: the handler's first invocation (SDK clients, connections) is slow on a loaded machine. */
const warm = async (t: LocalTasker): Promise<void> => {
  const result = await t.invoke({ action: 'executeStatement', sqlStatement: 'SELECT 0 AS warm' });
  expect(result.ok).toBe(true);
};

const acceptedHeartbeats = (t: LocalTasker): number =>
  t.callbacks.calls.filter((c) => c.action === 'SendTaskHeartbeat' && c.answeredWith === undefined).length;

describe('a scaled local tasker (timeScale)', () => {
  it('runs a pipeline of 20-minute statements with HeartbeatSeconds, a Wait and the sweep in seconds, in AWS order', async () => {
    // Kit time at 1200x: the sweep every 5 minutes (its heartbeats), HeartbeatSeconds 15 minutes (three sweeps, as
    // docs/handler-api.md advises), grace 10 minutes. The heartbeat window stays 0.75 s of wall time, above the
    // handler's own latency on a loaded machine. The transform statement's event is lost (EventBridge is best effort;
    // found by the statement name the start gave the Data API): the sweep finds that statement's end.
    const isTransform = (event: { detail: { statementName: string } }): boolean =>
      t.dataApi.calls.some((c) => c.input.StatementName === event.detail.statementName && String(c.input.Sql).includes('transformed'));
    const t: LocalTasker = await tasker({
      timeScale: SCALE,
      props: {
        redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'etl' },
        sweepSchedule: 'rate(5 minutes)',
        sweepGraceSeconds: 600,
      },
      routeEvent: (event, publish) => void (isTransform(event) || publish(event)),
    });
    const fn = t.functionArn;
    const heartbeat = { HeartbeatSeconds: 900 };
    await warm(t);
    const definition = {
      StartAt: 'extract',
      States: {
        ...sqlState(fn, 'extract', 'SELECT 1 AS extracted -- minutes: 20', 'settle', heartbeat),
        settle: { Type: 'Wait', Seconds: 600, Next: 'transform' },
        ...sqlState(fn, 'transform', 'SELECT 2 AS transformed -- minutes: 20', undefined, heartbeat),
      },
    };
    const wallStart = Date.now();
    const result = await t.run(definition, {});
    const wallMs = Date.now() - wallStart;

    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({
      status: 'SUCCEEDED',
      error: undefined,
      cause: undefined,
    });
    expect(result.statesVisited).toEqual(['extract', 'settle', 'transform']);
    // 2 × 20 minutes and a 10-minute Wait of kit time…
    expect(result.durationMs).toBeGreaterThanOrEqual(50 * MINUTE);
    // …in a fraction of that wall time (about 2.5 s at SCALE; bounded loosely so a loaded machine cannot fail it).
    expect(wallMs).toBeLessThan(result.durationMs / 10);
    // Each statement outlived HeartbeatSeconds, kept alive by the sweep's heartbeats on its schedule.
    for (const exit of result.events.filter((e) => e.type === 'StateExited' && e.stateType === 'Task')) {
      expect(exit.durationMs! * SCALE).toBeGreaterThanOrEqual(15 * MINUTE);
    }
    expect(t.invocations.filter((i) => i.kind === 'schedule').length).toBeGreaterThanOrEqual(10);
    expect(acceptedHeartbeats(t)).toBeGreaterThanOrEqual(4);
    // The lost event's statement was completed by a scheduled sweep, past the grace period. (The first one by its
    // event or by a sweep, whichever claimed it first: both are what AWS can do once a statement is past the grace.)
    const output = result.output as Record<string, { sweep?: boolean; detail: { state: string } }>;
    expect(output.transform.sweep).toBe(true);
    expect([output.extract.detail.state, output.transform.detail.state]).toEqual(['FINISHED', 'FINISHED']);
  });

  it(
    'fails a task with States.HeartbeatTimeout when its heartbeats stop, closes its token, and the sweep then cancels the ' + 'orphan',
    async () => {
      const t = await tasker({
        timeScale: 120,
        props: { redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'etl' }, sweepSchedule: 'rate(1 minute)' },
      });
      await warm(t);
      // SendTaskHeartbeat goes down right after the first heartbeat is accepted, for 10 kit minutes (a window as a
      // function of kit time); HeartbeatSeconds is 5 minutes.
      let firstHeartbeatAt: number | undefined;
      t.callbacks.onCallback((call) => {
        if (call.action === 'SendTaskHeartbeat' && call.answeredWith === undefined) firstHeartbeatAt ??= call.receivedAt;
      });
      const outageEnd = (): number => (firstHeartbeatAt ?? Infinity) - t.clock.now() + t.clock.elapsed() + 10 * MINUTE;
      t.callbacks.failDuring(
        'SendTaskHeartbeat',
        'ServiceUnavailable',
        (elapsed) => firstHeartbeatAt !== undefined && elapsed < outageEnd(),
      );
      const result = await t.run(
        {
          StartAt: 'long',
          States: sqlState(t.functionArn, 'long', 'SELECT 4 AS long_one -- minutes: 20', undefined, { HeartbeatSeconds: 300 }),
        },
        {},
      );

      expect(result).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
      expect(acceptedHeartbeats(t)).toBe(1);
      // Five minutes after the last accepted heartbeat, within the outage.
      const silence = result.stopDate.getTime() - firstHeartbeatAt!;
      expect(silence).toBeGreaterThanOrEqual(5 * MINUTE);
      expect(silence).toBeLessThan(10 * MINUTE);
      expect(t.callbacks.calls.some((c) => c.answeredWith === 'ServiceUnavailable')).toBe(true);
      // After the outage, the next heartbeat finds the token closed (TaskTimedOut) and the sweep cancels the statement.
      const deadline = Date.now() + 20_000;
      while (t.dataApi.activeStatements() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(t.dataApi.activeStatements()).toBe(0);
      expect(t.callbacks.calls.some((c) => c.action === 'SendTaskHeartbeat' && c.answeredWith === 'TaskTimedOut')).toBe(true);
      expect(t.dataApi.calls.filter((c) => c.operation === 'CancelStatement' && c.error === undefined)).toHaveLength(1);
    },
  );
});

describe('the sweep schedule', () => {
  it('is off with sweep: false, and sweepNow() steps it', async () => {
    const t = await tasker({ timeScale: 100_000, sweep: false });
    await new Promise((resolve) => setTimeout(resolve, 50)); // more than an hour of kit time
    expect(t.invocations.filter((i) => i.kind === 'schedule')).toHaveLength(0);
    const swept = await t.sweepNow();
    expect(swept).toMatchObject({ ok: true, payload: { examined: 0, completed: 0, heartbeats: 0 } });
    expect(t.invocations.filter((i) => i.kind === 'schedule')).toHaveLength(1);
  });

  it('names a cron schedule without an interval, a bad timeScale and a bad taskTimeoutSeconds before starting anything', async () => {
    const props = { redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'etl' }, sweepSchedule: 'cron(0/5 * * * ? *)' };
    await expect(startLocalTasker({ props })).rejects.toThrow(/rate\(\.\.\.\) schedules only.*sweep: \{ intervalSeconds \}/);
    await expect(startLocalTasker({ timeScale: 0 })).rejects.toThrow(LocalTaskerConfigurationError);
    await expect(startLocalTasker({ taskTimeoutSeconds: 1.5 })).rejects.toThrow(/taskTimeoutSeconds must be a positive integer/);
    await expect(startLocalTasker({ sweep: { intervalSeconds: -1 } })).rejects.toThrow(/sweep.intervalSeconds/);
  });
});

describe('time-window faults on the Data API', () => {
  it('fails every ExecuteStatement inside the window (SDK retries included) and none after it', async () => {
    const t = await tasker({ sweep: false });
    const until = t.clock.elapsed() + 3_000;
    t.dataApi.injectErrorDuring(
      'ExecuteStatement',
      { name: 'ThrottlingException', message: 'Rate exceeded' },
      { fromMs: 0, untilMs: until },
    );
    const invoke = () => t.invoke({ action: 'executeStatement', sqlStatement: 'SELECT 1' });
    const inside = await invoke();
    expect(inside.ok ? 'ok' : inside.errorMessage).toMatch(/Rate exceeded|Throttling/);
    await t.clock.sleep(until - t.clock.elapsed());
    expect((await invoke()).ok).toBe(true);
    const executes = t.dataApi.calls.filter((c) => c.operation === 'ExecuteStatement');
    expect(executes.length).toBeGreaterThanOrEqual(2);
    expect(executes.map((c) => c.error?.name)).toEqual([...Array(executes.length - 1).fill('ThrottlingException'), undefined]);
  });
});

describe('detail.principal', () => {
  /** Runs a quick statement (fast path) then a slow one (event path); returns both outputs. */
  async function fastAndEventOutputs(describeOnSuccess: boolean, principal: string) {
    // Events take 500 ms to arrive (EventBridge's latency), so the fast path's 1 s wait finds the quick statement ended.
    const t = await tasker({
      principal,
      sweep: false,
      props: { redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'etl' }, describeOnSuccess },
      routeEvent: (event, publish) => void setTimeout(() => publish(event), 500),
      // 2.5 s: past the fast path's 1 s wait, so the status event completes the slow one.
      dataApi: { statementDelayMs: (statement) => (statement.sqls[0].includes('slow_one') ? 2_500 : 0) },
    });
    const fn = t.functionArn;
    const result = await t.run(
      {
        StartAt: 'fast',
        States: { ...sqlState(fn, 'fast', 'SELECT 5 AS quick', 'slow'), ...sqlState(fn, 'slow', 'SELECT 6 AS slow_one', undefined) },
      },
      {},
    );
    expect(result.status).toBe('SUCCEEDED');
    return result.output as Record<'fast' | 'slow', Record<string, unknown> & { detail: Record<string, unknown> }>;
  }
  const keys = (value: object): string[] => Object.keys(value).sort();

  it('the fast path and the event path give outputs with the same keys, principal included', async () => {
    const principal = 'arn:aws:sts::123456789012:assumed-role/etl-role/etl-tasker';
    const { fast, slow } = await fastAndEventOutputs(true, principal);
    expect(fast.fastPath).toBe(true);
    expect(slow.fastPath).toBeUndefined();
    expect([fast.detail.principal, slow.detail.principal]).toEqual([principal, principal]);
    expect(keys(fast.detail)).toEqual(keys(slow.detail));
    // The envelope too, but for the fast path's own marker.
    expect(keys(fast).filter((k) => k !== 'fastPath')).toEqual(keys(slow));
  });

  it('without describeOnSuccess too: the fast path leaves out what its own DescribeStatement gave, so the keys match', async () => {
    const { fast, slow } = await fastAndEventOutputs(false, 'arn:aws:sts::123456789012:assumed-role/r/f');
    expect(keys(fast.detail)).toEqual(keys(slow.detail));
    expect(keys(fast).filter((k) => k !== 'fastPath')).toEqual(keys(slow));
    expect(fast).not.toHaveProperty('hasResultSet');
    expect(fast).not.toHaveProperty('resultRows');
  });
});
