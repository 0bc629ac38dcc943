/**
 * The local runner with a stand-in function (no handler bundle): it answers through the real SFN client
 * and the local callback endpoint, so the token plumbing, context paths, errors and timeouts are tested alone.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { InvocationResult } from '../../../local/lambda/invoke';
import { startLocalStepFunctionsCallbacks, type LocalStepFunctionsCallbacks } from '../../../local/step-functions/callback-server';
import { runStateMachine, UnsupportedTaskResource, type StateEvent } from '../../../local/step-functions/run-state-machine';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:stand-in';
let callbacks: LocalStepFunctionsCallbacks;
let sfn: SFNClient;

beforeAll(async () => {
  callbacks = await startLocalStepFunctionsCallbacks();
  sfn = new SFNClient({ endpoint: callbacks.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
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
    Payload: { 'taskToken.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id', 'stateName.$': '$$.State.Name', 'entered.$': '$$.State.EnteredTime', ...payload },
  },
  ...extra,
});

describe('runStateMachine', () => {
  it('resumes a waitForTaskToken state with the SendTaskSuccess output and fills the context paths', async () => {
    const payloads: Record<string, unknown>[] = [];
    const events: StateEvent[] = [];
    const result = await runStateMachine({
      definition: { StartAt: 'First', States: { First: { ...waitTask({ n: 1 }), ResultPath: '$.first', Next: 'Second' }, Second: { ...waitTask({ n: 2 }), End: true } } },
      input: { hello: 'world' },
      executionName: 'exec-1',
      callbacks,
      onStateEvent: (e) => events.push(e),
      invoke: async (fn, payload) => {
        const p = payload as Record<string, unknown>;
        payloads.push(p);
        // Answer after the invocation returned, as the real flow does.
        setTimeout(() => void sfn.send(new SendTaskSuccessCommand({ taskToken: String(p.taskToken), output: JSON.stringify({ got: p.n, fn }) })), 20);
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
        setTimeout(() => void sfn.send(new SendTaskFailureCommand({ taskToken: String((payload as { taskToken: string }).taskToken), error: 'FAILED', cause: 'ERROR: boom' })), 5);
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
      invoke: async () => ({ ok: false, errorType: 'ConcurrentExecution', errorMessage: 'already running', trace: ['at x'], durationMs: 0 }),
    });
    expect(failing).toMatchObject({ status: 'FAILED', error: 'ConcurrentExecution' });
    expect(JSON.parse(failing.cause!)).toEqual({ errorMessage: 'already running', errorType: 'ConcurrentExecution', trace: ['at x'] });

    const plain = await runStateMachine({
      definition: {
        StartAt: 'Describe',
        States: {
          Describe: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: FN, Payload: { action: 'describeStatement' } }, ResultSelector: { 'Payload.$': '$.Payload' }, End: true },
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
});
