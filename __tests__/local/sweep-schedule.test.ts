import { createKitClock } from '../../local/clock';
import { rateSeconds, scheduledEvent, startSweepSchedule } from '../../local/sweep-schedule';

describe('sweep schedule', () => {
  it('reads rate(...) expressions; cron(...) is not modelled', () => {
    expect(rateSeconds('rate(5 minutes)')).toBe(300);
    expect(rateSeconds('rate(1 minute)')).toBe(60);
    expect(rateSeconds('rate(2 hours)')).toBe(7_200);
    expect(rateSeconds('rate(1 day)')).toBe(86_400);
    expect(rateSeconds('cron(0/5 * * * ? *)')).toBeUndefined();
  });

  it('builds the Scheduled Event the handler routes to the sweep', () => {
    expect(scheduledEvent({ account: '1', region: 'r', ruleArn: 'arn', time: new Date('2026-01-01T00:00:00.123Z') })).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      time: '2026-01-01T00:00:00Z',
      resources: ['arn'],
    });
  });

  it('ticks at a fixed rate of kit time, never runs two sweeps at once, and stops', async () => {
    const clock = createKitClock(6_000); // 5 kit minutes = 50 ms of wall time
    let running = 0;
    let mostAtOnce = 0;
    let sweeps = 0;
    const schedule = startSweepSchedule(300, clock, async () => {
      sweeps += 1;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      // Every sweep outlasts a tick: the tick that finds it running is skipped.
      await new Promise((resolve) => setTimeout(resolve, 70));
      running -= 1;
    });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 400));
    schedule.stop();
    const elapsedTicks = Math.floor((Date.now() - started) / 50);
    const count = sweeps;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sweeps).toBe(count); // stopped
    expect(mostAtOnce).toBe(1);
    expect(sweeps).toBeGreaterThanOrEqual(2);
    expect(sweeps).toBeLessThan(elapsedTicks); // some ticks were skipped
  });
});
