/**
 * The local runner with a stand-in function (no handler bundle): it answers through the real SFN client
 * and the local callback endpoint, so the token plumbing, context paths, errors and timeouts are tested alone.
 */
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createKitClock } from '../../../local/clock';
import type { InvocationResult } from '../../../local/lambda/invoke';
import { startLocalStepFunctionsCallbacks, type LocalStepFunctionsCallbacks } from '../../../local/step-functions/callback-server';
import { runStateMachine, UnsupportedTaskResource, type StateEvent } from '../../../local/step-functions/run-state-machine';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:stand-in';
let callbacks: LocalStepFunctionsCallbacks;
let sfn: SFNClient;

beforeAll(async () => {
  callbacks = await startLocalStepFunctionsCallbacks();
  sfn = new SFNClient({
    endpoint: callbacks.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  sfn.destroy();
  await callbacks.stop();
});

const ok = (payload: unknown): InvocationResult => ({ ok: true, payload, durationMs: 0 });
const waitTask = (payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: FN,
    Payload: {
      'taskToken.$': '$$.Task.Token',
      'executionArn.$': '$$.Execution.Id',
      'stateName.$': '$$.State.Name',
      'entered.$': '$$.State.EnteredTime',
      ...payload,
    },
  },
  ...extra,
});

describe('runStateMachine', () => {
  it('resumes a waitForTaskToken state with the SendTaskSuccess output and fills the context paths', async () => {
    const payloads: Record<string, unknown>[] = [];
    const events: StateEvent[] = [];
    const result = await runStateMachine({
      definition: {
        StartAt: 'First',
        States: { First: { ...waitTask({ n: 1 }), ResultPath: '$.first', Next: 'Second' }, Second: { ...waitTask({ n: 2 }), End: true } },
      },
      input: { hello: 'world' },
      executionName: 'exec-1',
      callbacks,
      onStateEvent: (e) => events.push(e),
      invoke: async (fn, payload) => {
        const p = payload as Record<string, unknown>;
        payloads.push(p);
        // Answer after the invocation returned, as the real flow does.
        setTimeout(
          () => void sfn.send(new SendTaskSuccessCommand({ taskToken: String(p.taskToken), output: JSON.stringify({ got: p.n, fn }) })),
          20,
        );
        return ok({ started: true });
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ got: 2, fn: FN });
    expect(result.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:local-state-machine:exec-1');
    expect(payloads.map((p) => [p.stateName, p.executionArn])).toEqual([
      ['First', result.executionArn],
      ['Second', result.executionArn],
    ]);
    expect(payloads[0].taskToken).not.toBe(payloads[1].taskToken);
    expect(String(payloads[0].entered)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(events.filter((e) => e.type === 'StateExited').map((e) => e.name)).toEqual(['First', 'Second']);
    expect(events.find((e) => e.type === 'StateExited' && e.name === 'First')!.durationMs).toBeGreaterThanOrEqual(15);
  });

  it('fails the state with the SendTaskFailure error, which a Catch can route', async () => {
    const result = await runStateMachine({
      definition: {
        StartAt: 'Run',
        States: {
          Run: { ...waitTask({}), Catch: [{ ErrorEquals: ['FAILED'], Next: 'Handled', ResultPath: '$.error' }], End: true },
          Handled: { Type: 'Pass', End: true },
        },
      },
      callbacks,
      invoke: async (_fn, payload) => {
        setTimeout(
          () =>
            void sfn.send(
              new SendTaskFailureCommand({
                taskToken: String((payload as { taskToken: string }).taskToken),
                error: 'FAILED',
                cause: 'ERROR: boom',
              }),
            ),
          5,
        );
        return ok(null);
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ error: { Error: 'FAILED', Cause: 'ERROR: boom' } });
  });

  it('times a waiting state out with States.Timeout and closes its token', async () => {
    let token = '';
    const result = await runStateMachine({
      definition: { StartAt: 'Slow', States: { Slow: { ...waitTask({}), TimeoutSeconds: 1, End: true } } },
      callbacks,
      invoke: async (_fn, payload) => {
        token = String((payload as { taskToken: string }).taskToken);
        return ok(null);
      },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('reports a function error as Error = errorType and Cause = the Lambda error JSON; plain invokes wrap the Payload', async () => {
    const failing = await runStateMachine({
      definition: { StartAt: 'Start', States: { Start: { ...waitTask({}), End: true } } },
      callbacks,
      invoke: async () => ({
        ok: false,
        errorType: 'ConcurrentExecution',
        errorMessage: 'already running',
        trace: ['at x'],
        durationMs: 0,
      }),
    });
    expect(failing).toMatchObject({ status: 'FAILED', error: 'ConcurrentExecution' });
    expect(JSON.parse(failing.cause!)).toEqual({ errorMessage: 'already running', errorType: 'ConcurrentExecution', trace: ['at x'] });

    const plain = await runStateMachine({
      definition: {
        StartAt: 'Describe',
        States: {
          Describe: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: FN, Payload: { action: 'describeStatement' } },
            ResultSelector: { 'Payload.$': '$.Payload' },
            End: true,
          },
        },
      },
      callbacks,
      invoke: async (_fn, payload) => ok({ echoed: payload }),
    });
    expect(plain.output).toEqual({ Payload: { echoed: { action: 'describeStatement' } } });
  });

  it('refuses task resources it cannot run locally', async () => {
    await expect(
      runStateMachine({
        definition: { StartAt: 'Q', States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } },
        callbacks,
        invoke: async () => ok(null),
      }),
    ).rejects.toBeInstanceOf(UnsupportedTaskResource);
  });

  describe('startExecution.sync / .sync:2 of registered state machines', () => {
    const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
    /** A child whose one Lambda Task returns `{ step, seen: <its input> }`, or fails when the input says so. */
    const child = (step: string) => ({
      name: step,
      arn: ARN(step),
      definition: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } },
    });
    const registry = new Map([child('extract'), child('load')].map((m) => [m.arn, m]));
    const invoke = async (_fn: string, payload: unknown): Promise<InvocationResult> => {
      const input = payload as { fail?: boolean; step?: string };
      if (input.fail) return { ok: false, errorType: 'LoadError', errorMessage: 'no rows', trace: [], durationMs: 0 };
      return ok({ seen: input });
    };
    /** A Task starting `stateMachine`; its input is the state's input unless `Parameters` say otherwise. */
    const nested = (resource: string, stateMachine: string, parameters: Record<string, unknown> = { 'Input.$': '$' }) => ({
      Type: 'Task',
      Resource: `arn:aws:states:::states:${resource}`,
      Parameters: { StateMachineArn: ARN(stateMachine), ...parameters },
    });
    /** Extract (.sync:2, named) then Load (.sync, input built from Extract's output); `catchFailed` sends a failure to Handled. */
    const parent = (catchFailed = false) => ({
      StartAt: 'Extract',
      States: {
        Extract: {
          ...nested('startExecution.sync:2', 'extract', { 'Input.$': '$', Name: 'extract-1' }),
          ResultPath: '$.extract',
          Next: 'Load',
        },
        Load: {
          ...nested('startExecution.sync', 'load', { Input: { 'day.$': '$.day', 'extracted.$': '$.extract.Output.seen.day' } }),
          ...(catchFailed ? { Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Handled' }] } : {}),
          ResultPath: '$.load',
          End: true,
        },
        ...(catchFailed ? { Handled: { Type: 'Pass', End: true } } : {}),
      },
    });

    it('chains two children: .sync:2 gives the parsed output, .sync the JSON text', async () => {
      const result = await runStateMachine({
        definition: parent(),
        input: { day: '2026-01-01' },
        callbacks,
        invoke,
        stateMachines: (arn) => registry.get(arn),
      });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.statesVisited).toEqual(['Extract', 'Load']);
      const [extract, load] = result.nestedExecutions;
      expect(extract.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:extract:extract-1');
      expect(extract.statesVisited).toEqual(['Work']);
      const output = result.output as Record<string, unknown>;
      // .sync:2 (under $.extract): Input and Output are JSON values.
      expect(output.extract).toEqual({
        ExecutionArn: extract.executionArn,
        StateMachineArn: ARN('extract'),
        Name: 'extract-1',
        Status: 'SUCCEEDED',
        StartDate: extract.startDate.getTime(),
        StopDate: extract.stopDate.getTime(),
        Input: { day: '2026-01-01' },
        InputDetails: { Included: true },
        Output: { seen: { day: '2026-01-01' } },
        OutputDetails: { Included: true },
      });
      // .sync (under $.load): the same fields, Input and Output as JSON text; a generated name.
      expect(output.load).toMatchObject({
        StateMachineArn: ARN('load'),
        Status: 'SUCCEEDED',
        Name: load.name,
        Input: JSON.stringify({ day: '2026-01-01', extracted: '2026-01-01' }),
        Output: JSON.stringify({ seen: { day: '2026-01-01', extracted: '2026-01-01' } }),
      });
      expect(load.name).toMatch(/^[0-9a-f-]{36}$/);
      expect(load.stopDate.getTime()).toBeGreaterThanOrEqual(extract.stopDate.getTime());
    });

    it('a failed child fails the Task with States.TaskFailed (the describe response as cause), which a Catch takes', async () => {
      const caught = await runStateMachine({
        definition: parent(true),
        input: { day: '2026-01-02', fail: false },
        callbacks,
        invoke: async (fn, payload) =>
          invoke(fn, { ...(payload as object), fail: (payload as { extracted?: string }).extracted !== undefined }),
        stateMachines: (arn) => registry.get(arn),
      });
      expect(caught.status).toBe('SUCCEEDED');
      expect(caught.statesVisited).toEqual(['Extract', 'Load', 'Handled']);
      const error = (caught.output as { error: { Error: string; Cause: string } }).error;
      expect(error.Error).toBe('States.TaskFailed');
      const cause = JSON.parse(error.Cause) as Record<string, unknown>;
      expect(cause).toMatchObject({ StateMachineArn: ARN('load'), Status: 'FAILED', Error: 'LoadError', Input: expect.any(String) });
      expect(JSON.parse(cause.Cause as string)).toMatchObject({ errorMessage: 'no rows', errorType: 'LoadError' });
      expect(cause).not.toHaveProperty('Output');
      expect(caught.nestedExecutions.map((e) => e.status)).toEqual(['SUCCEEDED', 'FAILED']);

      const uncaught = await runStateMachine({
        definition: parent(),
        input: { fail: true },
        callbacks,
        invoke,
        stateMachines: (arn) => registry.get(arn),
      });
      expect(uncaught.status).toBe('FAILED');
      expect(uncaught.error).toBe('States.TaskFailed');
      expect(JSON.parse(uncaught.cause!)).toMatchObject({ Name: 'extract-1', Status: 'FAILED', Error: 'LoadError', Input: { fail: true } });
      expect(uncaught.statesVisited).toEqual(['Extract']);
    });

    it('a state machine that is not registered fails the Task with StateMachineDoesNotExistException', async () => {
      const result = await runStateMachine({
        definition: parent(),
        input: { day: '2026-01-03' },
        callbacks,
        invoke,
        stateMachines: (arn) => (arn === ARN('extract') ? registry.get(arn) : undefined),
      });
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('StepFunctions.StateMachineDoesNotExistException');
      expect(result.cause).toContain(ARN('load'));
      expect(result.nestedExecutions).toHaveLength(1);
    });
  });

  describe("on the kit's clock", () => {
    /** A stand-in that answers `after` kit ms after the invocation, sending heartbeats every `every` kit ms until then. */
    const answering =
      (clock: ReturnType<typeof createKitClock>, after: number, every?: number) => async (_fn: string, payload: unknown) => {
        const taskToken = String((payload as { taskToken: string }).taskToken);
        void (async () => {
          for (let at = every ?? after; every !== undefined && at < after; at += every) {
            await clock.sleep(every);
            await sfn.send(new SendTaskHeartbeatCommand({ taskToken })).catch(() => undefined);
          }
          await clock.sleep(every === undefined ? after : after % every || every);
          await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"done":true}' })).catch(() => undefined);
        })();
        return ok(null);
      };

    it('puts no cap on a Task without TimeoutSeconds (AWS waits up to a year); taskTimeoutSeconds sets one', async () => {
      const clock = createKitClock(600);
      const definition = { StartAt: 'Long', States: { Long: { ...waitTask({}), End: true } } };
      const long = await runStateMachine({ definition, callbacks, clock, invoke: answering(clock, 5 * 60_000) });
      expect(long).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
      expect(long.durationMs).toBeGreaterThanOrEqual(5 * 60_000);

      const capped = await runStateMachine({ definition, callbacks, clock, taskTimeoutSeconds: 120, invoke: answering(clock, 5 * 60_000) });
      expect(capped).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
      expect(capped.durationMs).toBeGreaterThanOrEqual(120_000);
      expect(capped.durationMs).toBeLessThan(5 * 60_000);
    });

    it('keeps States.Timeout out of the States.TaskFailed wildcard, as AWS does', async () => {
      const clock = createKitClock(100);
      const result = await runStateMachine({
        definition: {
          StartAt: 'Slow',
          States: {
            Slow: {
              ...waitTask({}),
              TimeoutSeconds: 5,
              Catch: [
                { ErrorEquals: ['States.TaskFailed'], Next: 'TaskFailed' },
                { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' },
              ],
              End: true,
            },
            TaskFailed: { Type: 'Pass', End: true },
            TimedOut: { Type: 'Pass', End: true },
          },
        },
        callbacks,
        clock,
        invoke: async () => ok(null),
      });
      expect(result.statesVisited).toEqual(['Slow', 'TimedOut']);
    });

    it(
      'HeartbeatSeconds: heartbeats keep a task longer than the window alive; without them it fails with ' + 'States.HeartbeatTimeout',
      async () => {
        // 20x: the 10 s window is 0.5 s of wall time, heartbeats every 0.2 s (room for a loaded machine).
        const clock = createKitClock(20);
        const definition = { StartAt: 'Run', States: { Run: { ...waitTask({}), HeartbeatSeconds: 10, End: true } } };
        const kept = await runStateMachine({ definition, callbacks, clock, invoke: answering(clock, 35_000, 4_000) });
        expect(kept).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
        expect(kept.durationMs).toBeGreaterThanOrEqual(35_000);

        let token = '';
        const silent = await runStateMachine({
          definition,
          callbacks,
          clock,
          invoke: async (_fn, payload) => {
            token = String((payload as { taskToken: string }).taskToken);
            return ok(null);
          },
        });
        expect(silent).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
        expect(silent.durationMs).toBeGreaterThanOrEqual(10_000);
        // The token is closed: a late callback gets TaskTimedOut, as in AWS.
        await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({
          name: 'TaskTimedOut',
        });
      },
    );

    it('a heartbeat timeout is caught by a States.Timeout catcher (the original library relies on it)', async () => {
      const clock = createKitClock(100);
      const result = await runStateMachine({
        definition: {
          StartAt: 'Run',
          States: {
            Run: {
              ...waitTask({}),
              HeartbeatSeconds: 2,
              Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Cancel', ResultPath: '$.error' }],
              End: true,
            },
            Cancel: { Type: 'Pass', End: true },
          },
        },
        callbacks,
        clock,
        invoke: async () => ok(null),
      });
      expect(result.statesVisited).toEqual(['Run', 'Cancel']);
      expect(result.output).toMatchObject({ error: { Error: 'States.HeartbeatTimeout' } });
    });

    it('scales Wait states and the execution TimeoutSeconds', async () => {
      const clock = createKitClock(6_000);
      const started = Date.now();
      const waited = await runStateMachine({
        definition: { StartAt: 'Hour', States: { Hour: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } } },
        callbacks,
        clock,
        invoke: async () => ok(null),
      });
      expect(waited.status).toBe('SUCCEEDED');
      expect(waited.durationMs).toBeGreaterThanOrEqual(3_600_000);
      // An hour of kit time in well under a minute of wall time (about 0.6 s; loose so a loaded machine cannot fail it).
      expect(Date.now() - started).toBeLessThan(60_000);

      const timedOut = await runStateMachine({
        definition: { TimeoutSeconds: 600, StartAt: 'Day', States: { Day: { Type: 'Wait', Seconds: 86_400, End: true } } },
        callbacks,
        clock,
        invoke: async () => ok(null),
      });
      expect(timedOut).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(timedOut.durationMs).toBeGreaterThanOrEqual(600_000);
      expect(timedOut.durationMs).toBeLessThan(86_400_000);
    });
  });
});
