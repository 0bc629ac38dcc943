import {
  billedMs,
  callbackUsage,
  fixedMonthlyUsage,
  lambdaCostByArchitecture,
  pollingLoopEstimate,
  pollingTransitions,
  priceUsage,
  type StatementUsage,
} from '../../bench/cost-model';
import { PRICES } from '../../bench/prices';

const none: StatementUsage = {
  stateTransitions: 0,
  lambdaInvocations: 0,
  lambdaBilledMs: 0,
  sqsRequests: 0,
  dynamoWru: 0,
  dynamoRru: 0,
  dataApiCalls: 0,
  logBytes: 0,
};

describe('bench/cost-model: prices', () => {
  it('states the list prices it uses (us-east-1)', () => {
    expect(PRICES.region).toBe('us-east-1');
    expect(PRICES.stepFunctionsPerTransition * 1000).toBeCloseTo(0.025, 12);
    expect(PRICES.lambdaPerRequest * 1e6).toBeCloseTo(0.2, 12);
    expect(PRICES.sqsPerRequest * 1e6).toBeCloseTo(0.4, 12);
    expect(PRICES.dynamoPerWru * 1e6).toBeCloseTo(0.625, 12);
    expect(PRICES.dynamoPerRru * 1e6).toBeCloseTo(0.125, 12);
    expect(PRICES.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('prices each service: 1M transitions = $25, 1M Lambda requests = $0.20, 1M SQS requests = $0.40', () => {
    expect(priceUsage({ ...none, stateTransitions: 1e6 }, PRICES, 256).total).toBeCloseTo(25, 9);
    expect(priceUsage({ ...none, lambdaInvocations: 1e6 }, PRICES, 256).lambdaRequests).toBeCloseTo(0.2, 9);
    expect(priceUsage({ ...none, sqsRequests: 1e6 }, PRICES, 256).sqs).toBeCloseTo(0.4, 9);
    expect(priceUsage({ ...none, dynamoWru: 1e6, dynamoRru: 2e6 }, PRICES, 256).dynamo).toBeCloseTo(0.625 + 0.25, 9);
    expect(priceUsage({ ...none, logBytes: 1024 ** 3 }, PRICES, 256).logs).toBeCloseTo(0.5, 9);
  });

  it('prices Lambda duration in GB-seconds of the configured memory', () => {
    // 1,000 s at 256 MB = 250 GB-s.
    const at256 = priceUsage({ ...none, lambdaBilledMs: 1_000_000 }, PRICES, 256);
    expect(at256.lambdaDuration).toBeCloseTo(250 * 0.0000166667, 12);
    const at128 = priceUsage({ ...none, lambdaBilledMs: 1_000_000 }, PRICES, 128);
    expect(at128.lambdaDuration).toBeCloseTo(at256.lambdaDuration / 2, 12);
  });

  it('the total is the sum of the parts; Data API calls are free', () => {
    const usage: StatementUsage = {
      ...none,
      stateTransitions: 3,
      lambdaInvocations: 2,
      lambdaBilledMs: 40,
      sqsRequests: 3,
      dynamoWru: 12,
      dataApiCalls: 9,
    };
    const cost = priceUsage(usage, PRICES, 256);
    const parts = cost.stepFunctions + cost.lambdaRequests + cost.lambdaDuration + cost.sqs + cost.dynamo + cost.logs;
    expect(cost.total).toBeCloseTo(parts, 15);
    expect(priceUsage({ ...none, dataApiCalls: 1e6 }, PRICES, 256).total).toBe(0);
  });

  it('refuses negative usage and impossible memory sizes', () => {
    expect(() => priceUsage({ ...none, sqsRequests: -1 }, PRICES, 256)).toThrow(/usage.sqsRequests/);
    expect(() => priceUsage(none, PRICES, 64)).toThrow(RangeError);
  });

  it('bills Lambda per started millisecond, at least 1 ms', () => {
    expect(billedMs(0)).toBe(1);
    expect(billedMs(12.01)).toBe(13);
    expect(billedMs(12)).toBe(12);
  });
});

describe('bench/cost-model: polling loop', () => {
  it('counts 1 transition before the loop and 3 per poll', () => {
    expect(pollingTransitions(0)).toBe(1);
    expect(pollingTransitions(1)).toBe(4);
    expect(pollingTransitions(6.5)).toBe(20.5);
  });

  it('a 1-minute statement polled every 10 s: 6.5 polls on average, 7 at worst; latency 5 s / 10 s', () => {
    const estimate = pollingLoopEstimate({ statementSeconds: 60, intervalSeconds: 10 });
    expect(estimate.pollsAverage).toBe(6.5);
    expect(estimate.pollsWorst).toBe(7);
    expect(estimate.addedLatencyAverageSeconds).toBe(5);
    expect(estimate.addedLatencyWorstSeconds).toBe(10);
    expect(estimate.usageAverage).toEqual({ ...none, stateTransitions: 20.5, dataApiCalls: 7.5 });
    expect(estimate.usageWorst.stateTransitions).toBe(22);
  });

  it('a 10-minute statement polled every 10 s costs 182.5 transitions: $4.5625 per 1,000 statements', () => {
    const estimate = pollingLoopEstimate({ statementSeconds: 600, intervalSeconds: 10 });
    expect(estimate.usageAverage.stateTransitions).toBe(182.5);
    expect(priceUsage(estimate.usageAverage, PRICES, 256).total * 1000).toBeCloseTo(4.5625, 9);
  });

  it('a statement shorter than the interval still takes at least one poll', () => {
    const estimate = pollingLoopEstimate({ statementSeconds: 10, intervalSeconds: 60 });
    expect(estimate.pollsWorst).toBe(1);
    expect(estimate.pollsAverage).toBeCloseTo(10 / 60 + 0.5, 12);
  });

  it('a Lambda-based poller pays one invocation per Data API call', () => {
    const estimate = pollingLoopEstimate({ statementSeconds: 60, intervalSeconds: 10, describeVia: 'lambda', lambdaBilledMsPerCall: 20 });
    expect(estimate.usageAverage.lambdaInvocations).toBe(7.5);
    expect(estimate.usageAverage.lambdaBilledMs).toBe(150);
  });

  it('refuses non-positive durations and intervals', () => {
    expect(() => pollingLoopEstimate({ statementSeconds: 0, intervalSeconds: 10 })).toThrow(/statementSeconds/);
    expect(() => pollingLoopEstimate({ statementSeconds: 10, intervalSeconds: -1 })).toThrow(/intervalSeconds/);
  });
});

describe('bench/cost-model: callback flow', () => {
  const measured = { startMs: 14.2, completionBatchMs: 11.5, dynamoWru: 12, dynamoRru: 0, dataApiCalls: 1, logBytes: 1200 };

  it('one event per invocation: 1 transition, 2 invocations, 3 SQS requests', () => {
    expect(callbackUsage({ ...measured, batchFill: 1 })).toEqual({
      stateTransitions: 1,
      lambdaInvocations: 2,
      lambdaBilledMs: 15 + 12,
      sqsRequests: 3,
      dynamoWru: 12,
      dynamoRru: 0,
      dataApiCalls: 1,
      logBytes: 1200,
    });
  });

  it('batches of 10 share one invocation, one receive and one delete', () => {
    const usage = callbackUsage({ ...measured, batchFill: 10, completionBatchMs: 60.2 });
    expect(usage.lambdaInvocations).toBeCloseTo(1.1, 12);
    expect(usage.sqsRequests).toBeCloseTo(1.2, 12);
    expect(usage.lambdaBilledMs).toBeCloseTo(15 + 6.1, 12);
  });

  it('refuses a batch fill outside 1..10000', () => {
    expect(() => callbackUsage({ ...measured, batchFill: 0 })).toThrow(/batchFill/);
    expect(() => callbackUsage({ ...measured, batchFill: 1.5 })).toThrow(/batchFill/);
  });

  it('fixed monthly requests: 8,640 sweeps and 648,000 empty long polls in 30 days', () => {
    const usage = fixedMonthlyUsage({ sweepBilledMs: 5 });
    expect(usage.lambdaInvocations).toBe(8640);
    expect(usage.lambdaBilledMs).toBe(43_200);
    expect(usage.dynamoRru).toBe(4320);
    expect(usage.sqsRequests).toBe(648_000);
    expect(priceUsage(usage, PRICES, 256).sqs).toBeCloseTo(0.2592, 9);
  });
});

describe('lambdaCostByArchitecture', () => {
  it('prices requests alike and duration at each architecture’s GB-second price', () => {
    // 1M invocations of 100 ms at 1024 MB: 100,000 GB-s.
    const cost = lambdaCostByArchitecture(1_000_000, 100 * 1_000_000, PRICES, 1024);
    expect(cost.x86_64).toBeCloseTo(0.2 + 100_000 * 0.0000166667, 9);
    expect(cost.arm64).toBeCloseTo(0.2 + 100_000 * 0.0000133334, 9);
    expect(cost.arm64 / cost.x86_64).toBeLessThan(1);
  });

  it('refuses negative counts and memory outside Lambda’s range', () => {
    expect(() => lambdaCostByArchitecture(-1, 0, PRICES, 256)).toThrow(RangeError);
    expect(() => lambdaCostByArchitecture(1, 1, PRICES, 64)).toThrow(/memoryMb must be 128..10240/);
  });
});
