import { SFNClient, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { createKitClock } from '../../../local/clock';
import { type LocalStepFunctionsCallbacks, startLocalStepFunctionsCallbacks } from '../../../local/step-functions/callback-server';

describe('local Step Functions callback endpoint', () => {
  let sfn: LocalStepFunctionsCallbacks;
  let client: SFNClient;

  beforeEach(async () => {
    sfn = await startLocalStepFunctionsCallbacks();
    client = new SFNClient({
      endpoint: sfn.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await sfn.stop();
  });

  it('accepts a success from the real SFN client and resolves waitForCallback', async () => {
    const waiting = sfn.waitForCallback('token-1');
    await client.send(new SendTaskSuccessCommand({ taskToken: 'token-1', output: '{"a":1}' }));
    const call = await waiting;
    expect(call).toMatchObject({ action: 'SendTaskSuccess', taskToken: 'token-1', output: '{"a":1}' });
    expect(call.answeredWith).toBeUndefined();
    expect(sfn.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('closes a token after one answer: a second answer gets TaskTimedOut but is recorded', async () => {
    await client.send(new SendTaskFailureCommand({ taskToken: 't', error: 'FAILED', cause: 'boom' }));
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    expect(sfn.calls.map((c) => [c.action, c.answeredWith])).toEqual([
      ['SendTaskFailure', undefined],
      ['SendTaskSuccess', 'TaskTimedOut'],
    ]);
    expect((await sfn.waitForCallback('t')).error).toBe('FAILED');
  });

  it('heartbeats keep the token open', async () => {
    await client.send(new SendTaskHeartbeatCommand({ taskToken: 'h' }));
    await client.send(new SendTaskSuccessCommand({ taskToken: 'h', output: '{}' }));
    expect(sfn.calls.map((c) => c.answeredWith)).toEqual([undefined, undefined]);
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const)('expireToken answers %s', async (name) => {
    sfn.expireToken('gone', name);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'gone', output: '{}' }))).rejects.toMatchObject({ name });
    await expect(sfn.waitForCallback('gone', 50)).rejects.toThrow(/no callback/);
  });

  it('rejects invalid output and over-long errors like the service', async () => {
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'x', output: 'not json' }))).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    await expect(client.send(new SendTaskFailureCommand({ taskToken: 'x', error: 'E'.repeat(257) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    // The token is still open after rejected calls.
    await client.send(new SendTaskSuccessCommand({ taskToken: 'x', output: '{}' }));
    expect(sfn.calls).toHaveLength(3);
  });

  it('notifies listeners and lets them unsubscribe', async () => {
    const seen: string[] = [];
    const off = sfn.onCallback((call) => seen.push(call.taskToken));
    await client.send(new SendTaskHeartbeatCommand({ taskToken: 'one' }));
    off();
    await client.send(new SendTaskHeartbeatCommand({ taskToken: 'two' }));
    expect(seen).toEqual(['one']);
  });

  describe('injected service failures', () => {
    it('failNext fails the next calls of one action only, then the token is still open', async () => {
      sfn.failNext('SendTaskSuccess', 'AccessDeniedException', 2);
      for (let i = 0; i < 2; i++) {
        await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'a', output: '{}' }))).rejects.toMatchObject({
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        });
      }
      // Another action is not affected.
      await client.send(new SendTaskHeartbeatCommand({ taskToken: 'a' }));
      await client.send(new SendTaskSuccessCommand({ taskToken: 'a', output: '{}' }));
      expect(sfn.calls.map((c) => [c.action, c.answeredWith])).toEqual([
        ['SendTaskSuccess', 'AccessDeniedException'],
        ['SendTaskSuccess', 'AccessDeniedException'],
        ['SendTaskHeartbeat', undefined],
        ['SendTaskSuccess', undefined],
      ]);
      expect((await sfn.waitForCallback('a')).answeredWith).toBeUndefined();
    });

    it('an outage name is answered with a 5xx status', async () => {
      sfn.failNext('SendTaskFailure', 'ServiceUnavailable');
      await expect(client.send(new SendTaskFailureCommand({ taskToken: 'b', error: 'E' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 503 },
      });
      expect(sfn.calls[0].answeredWith).toBe('ServiceUnavailable');
    });

    it('rejects bad options with a clear error', () => {
      expect(() => sfn.failNext('SendTaskSuccess', 'X', 0)).toThrow(/times must be a positive integer/);
      expect(() => sfn.failNext('Nope' as 'SendTaskSuccess', 'X')).toThrow(/unknown action Nope/);
    });
  });

  describe('failDuring: a fault for a span of kit time', () => {
    it('fails every call of the action inside the window and none outside; the token stays open', async () => {
      const clock = createKitClock(1_000);
      const scaled = await startLocalStepFunctionsCallbacks({ clock });
      const scaledClient = new SFNClient({
        endpoint: scaled.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 't', secretAccessKey: 't' },
        maxAttempts: 1,
      });
      try {
        // From kit minute 1 to kit minute 2 (60 ms of wall time at 1000x): before, inside, after.
        const start = clock.elapsed();
        const remove = scaled.failDuring('SendTaskHeartbeat', 'ServiceUnavailable', { fromMs: start + 60_000, untilMs: start + 120_000 });
        await scaledClient.send(new SendTaskHeartbeatCommand({ taskToken: 'w' }));
        await clock.sleep(60_000 - (clock.elapsed() - start));
        await expect(scaledClient.send(new SendTaskHeartbeatCommand({ taskToken: 'w' }))).rejects.toMatchObject({
          name: 'ServiceUnavailable',
        });
        await expect(scaledClient.send(new SendTaskHeartbeatCommand({ taskToken: 'w' }))).rejects.toMatchObject({
          name: 'ServiceUnavailable',
        });
        // Other actions are not affected.
        await scaledClient.send(new SendTaskSuccessCommand({ taskToken: 'other', output: '{}' }));
        await clock.sleep(120_000 - (clock.elapsed() - start));
        await scaledClient.send(new SendTaskHeartbeatCommand({ taskToken: 'w' }));
        expect(scaled.calls.filter((c) => c.taskToken === 'w').map((c) => c.answeredWith)).toEqual([
          undefined,
          'ServiceUnavailable',
          'ServiceUnavailable',
          undefined,
        ]);

        // A function of the kit's elapsed time; removing the injection ends it.
        const removeAll = scaled.failDuring('SendTaskSuccess', 'ThrottlingException', () => true);
        await expect(scaledClient.send(new SendTaskSuccessCommand({ taskToken: 'x', output: '{}' }))).rejects.toMatchObject({
          name: 'ThrottlingException',
        });
        removeAll();
        remove();
        await scaledClient.send(new SendTaskSuccessCommand({ taskToken: 'x', output: '{}' }));
      } finally {
        scaledClient.destroy();
        await scaled.stop();
      }
    });

    it('names a bad window or action', () => {
      expect(() => sfn.failDuring('SendTaskSuccess', 'X', { fromMs: 10, untilMs: 5 })).toThrow(/failDuring: the window/);
      expect(() => sfn.failDuring('SendTaskNothing' as never, 'X', () => true)).toThrow(/unknown action/);
    });
  });
});
