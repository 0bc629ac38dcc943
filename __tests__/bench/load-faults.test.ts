import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { BURST_SPAN_MS, burstWindow, failsOnPurpose, faultsFor, faultyRoute, ISSUE_25_FAULTS } from '../../bench/load-faults';
import { createKitClock } from '../../local/clock';
import { startLocalStepFunctionsCallbacks } from '../../local/step-functions/callback-server';
import type { StatusChangeEvent } from '../../local/redshift-data';

const event = (n: number) => ({ detail: { statementId: `s${n}` } }) as unknown as StatusChangeEvent;

it('drops every 20th status event and publishes every other 10th three times; every event counts as an end', () => {
  const published: string[] = [];
  const seen: string[] = [];
  const route = faultyRoute(ISSUE_25_FAULTS, (e) => seen.push(e.detail.statementId));
  for (let n = 1; n <= 40; n++) route(event(n), (e) => published.push((e as StatusChangeEvent).detail.statementId) > 0);
  expect(seen).toHaveLength(40);
  expect(published.filter((id) => id === 's10')).toHaveLength(3);
  expect(published.filter((id) => id === 's30')).toHaveLength(3);
  expect(published).not.toContain('s20');
  expect(published).not.toContain('s40');
  expect(published).toHaveLength(40 - 2 + 2 * 2);
});

it('fails every 25th execution', () => {
  expect(Array.from({ length: 100 }, (_, i) => i).filter((i) => failsOnPurpose(ISSUE_25_FAULTS, i))).toEqual([24, 49, 74, 99]);
});

it('scales the counted faults to the load, at least one each; rates and the outage stay', () => {
  expect(faultsFor(500)).toEqual(ISSUE_25_FAULTS);
  const small = faultsFor(50);
  expect(small.throttles).toBe(5);
  expect(small.successBursts.map((b) => b.calls)).toEqual([4, 4, 4, 4]);
  expect(faultsFor(1).throttles).toBe(1);
  expect([small.outage, small.dropEvery, small.tripleEvery, small.failEvery]).toEqual([ISSUE_25_FAULTS.outage, 20, 10, 25]);
});

it('a burst fails its first calls from its time on, and lapses after BURST_SPAN_MS however few calls met it', () => {
  const burst = burstWindow(1_000, 2);
  expect([burst(999), burst(1_000), burst(1_500), burst(1_600)]).toEqual([false, true, true, false]);
  const late = burstWindow(1_000, 3);
  expect(late(1_000 + BURST_SPAN_MS - 1)).toBe(true);
  // Answers no call met in time are not kept for later callbacks.
  expect([late(1_000 + BURST_SPAN_MS), late(1_000 + 5 * BURST_SPAN_MS)]).toEqual([false, false]);
});

it('on the local callback server, behind the outage window: a call the outage fails does not use up the burst', async () => {
  let now = 0;
  const clock = createKitClock(1, () => 1_700_000_000_000 + now);
  const server = await startLocalStepFunctionsCallbacks({ clock });
  const sfn = new SFNClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  try {
    server.failDuring('SendTaskSuccess', 'ServiceUnavailable', { fromMs: 0, untilMs: 100 });
    server.failDuring('SendTaskSuccess', 'ServiceUnavailable', burstWindow(50, 1));
    const answer = (token: string) =>
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })).then(
        () => 'accepted',
        (error: Error) => error.name,
      );
    now = 60; // in the outage and the burst: the outage answers
    expect(await answer('a')).toBe('ServiceUnavailable');
    now = 120; // after the outage, in the burst: its one call
    expect(await answer('b')).toBe('ServiceUnavailable');
    now = 130;
    expect(await answer('c')).toBe('accepted');
    now = 100 + BURST_SPAN_MS;
    expect(await answer('d')).toBe('accepted');
  } finally {
    sfn.destroy();
    await server.stop();
  }
});
