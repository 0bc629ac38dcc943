import { PRICES } from '../../bench/prices';
import {
  addedCalls,
  buildModel,
  buildNotes,
  buildRows,
  POLL_INTERVAL_SECONDS,
  STATEMENT_SECONDS,
  TABLE_COLUMNS,
  type BenchResults,
} from '../../bench/report';
import { summarize } from '../../bench/stats';
import { formatTable } from '../../bench/table';

const variant = (wall: number[], cpu: number[], rss: number[]) => ({
  wallMs: summarize(wall),
  cpuMs: summarize(cpu),
  maxRssBytes: summarize(rss),
});
const init = (ms: number[], cpu: number[], first: number[], files: number, bytes: number) => ({
  initMs: summarize(ms),
  initCpuMs: summarize(cpu),
  initPlusFirstMs: summarize(first),
  files,
  bytesLoaded: bytes,
});

/** Results shaped as the bench produces them, with round numbers to check the arithmetic by hand. */
const results: BenchResults = {
  build: { bundleBytes: 340_000, sourceMapBytes: 530_000, zipBytes: 112_640, unbundledPackages: 33, unbundledPackageBytes: 11_264_000 },
  synth: {
    runs: 3,
    deep: variant([1000, 1200, 1100], [900, 950, 1000], [80e6, 81e6, 82e6]),
    barrel: variant([5000, 5600, 5500], [4000, 4100, 4200], [520e6, 530e6, 525e6]),
    rewrittenImports: 27,
    stacks: ['cluster-example', 'serverless-example'],
  },
  synthRebuild: {
    runs: 3,
    npmSynthMs: summarize([1200, 1300, 1400]),
    npmSynthCpuMs: summarize([1000, 1100, 1200]),
    upToDateCheckMs: summarize([40, 45, 50]),
    barrelLoadMs: summarize([4000, 5200, 4400]),
    barrelLoadCpuMs: summarize([5000, 5500, 6000]),
    synthToBarrel: 0.28,
    synthToBarrelCpu: 0.2,
  },
  coldStart: {
    runs: 3,
    nodes: [
      {
        nodeVersion: 'v22.23.5',
        bundled: init([100, 110, 120], [90, 95, 100], [180, 190, 200], 1, 340_000),
        unbundled: init([300, 330, 360], [250, 260, 270], [380, 400, 420], 76, 1_400_000),
        bundledByImport: init([150, 160, 170], [140, 145, 150], [230, 240, 250], 1, 340_000),
        bundledToUnbundled: { initMs: 0.33, initCpuMs: 0.36, initPlusFirstMs: 0.47 },
      },
      {
        nodeVersion: 'v20.20.2',
        bundled: init([120, 130, 140], [100, 105, 110], [200, 210, 220], 1, 340_000),
        unbundled: init([320, 350, 380], [260, 270, 280], [400, 420, 440], 80, 1_400_000),
        bundledByImport: init([170, 180, 190], [150, 155, 160], [250, 260, 270], 1, 340_000),
        bundledToUnbundled: { initMs: 0.37, initCpuMs: 0.39, initPlusFirstMs: 0.5 },
      },
    ],
  },
  handler: {
    calls: { dynamodb: ['PutItem', 'UpdateItem'], redshiftData: ['ExecuteStatement'], sfn: ['SendTaskSuccess'] },
    callCount: 4,
    dynamo: {
      startWrite: { table: 2, indexes: { byExecution: 2, byRunning: 2 }, total: 6 },
      completionWrite: { table: 2, indexes: { byExecution: 2, byRunning: 2 }, total: 6 },
      wru: 12,
      rru: 0,
      itemBytesAfterStart: 1198,
      itemBytesAfterCompletion: 1295,
      taskTokenLength: 680,
      wruWithLongestToken: 18,
      tokenLengthWithin1Kb: 409,
      wruWithin1Kb: 6,
    },
    startMs: summarize([14.2, 15, 16]),
    batch1Ms: summarize([11.5, 12, 13]),
    batch10Ms: summarize([60, 60.2, 70]),
    batch10PerEventMs: summarize([6, 6.02, 7]),
    callbackLatencyMs: summarize([10, 14, 40]),
    logBytesPerStatement: 1200,
    sweep: { ms: 4.2, calls: ['Query'] },
    singleton: {
      calls: {
        dynamodb: ['PutItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
        redshiftData: ['ExecuteStatement'],
        sfn: ['SendTaskSuccess'],
      },
      callCount: 7,
      wru: 14,
      lockWru: 2,
      rru: 0.5,
      rruWith200Running: 6,
    },
  },
};

describe('bench/report', () => {
  const model = buildModel(results, PRICES);

  it('models the callback flow from the medians: 1 transition, 2 invocations, 3 SQS requests, 12 WRU', () => {
    expect(model.callbackBatch1).toEqual({
      stateTransitions: 1,
      lambdaInvocations: 2,
      lambdaBilledMs: 15 + 12,
      sqsRequests: 3,
      dynamoWru: 12,
      dynamoRru: 0,
      dataApiCalls: 1,
      logBytes: 1200,
    });
    expect(model.callbackBatch10.lambdaBilledMs).toBeCloseTo(15 + 61 / 10, 12);
  });

  it('compares every statement duration with every polling interval', () => {
    expect(model.comparisons.map((c) => [c.statementSeconds, c.intervalSeconds])).toEqual(
      STATEMENT_SECONDS.flatMap((d) => POLL_INTERVAL_SECONDS.map((n) => [d, n])),
    );
  });

  it('prices a 1-minute statement polled every 10 s and the callback flow per 1M statements', () => {
    const c = model.comparisons.find((x) => x.statementSeconds === 60 && x.intervalSeconds === 10)!;
    // Polling: 20.5 transitions × $25 per 1M transitions; no other priced request.
    expect(c.polling.costPerMillion[256]).toBeCloseTo(512.5, 6);
    // Callback: $25 transitions + $0.40 Lambda requests + 27 ms × 0.25 GB duration + $1.20 SQS + 12 × $0.625 WRU + logs.
    const duration = (27 / 1000) * 0.25 * 0.0000166667 * 1e6;
    const logs = (1200 / 1024 ** 3) * 0.5 * 1e6;
    expect(c.callback.costPerMillion[256]).toBeCloseTo(25 + 0.4 + duration + 1.2 + 7.5 + logs, 6);
    expect(c.callback.costPerMillion[128]).toBeCloseTo(25 + 0.4 + duration / 2 + 1.2 + 7.5 + logs, 6);
    expect(c.polling.addedLatencyMs).toBe(5000);
    expect(c.polling.addedLatencyWorstMs).toBe(10_000);
    expect(c.callback.addedLatencyMs).toBe(14);
  });

  it('prices the Lambda part on x86_64 and arm64 with the same measured duration', () => {
    // 2 invocations and 27 billed ms per statement at 256 MB.
    const gbSeconds = (27 / 1000) * 0.25;
    expect(model.lambdaPerMillionByArchitecture.x86_64).toBeCloseTo((2 * 0.2e-6 + gbSeconds * 0.0000166667) * 1e6, 9);
    expect(model.lambdaPerMillionByArchitecture.arm64).toBeCloseTo((2 * 0.2e-6 + gbSeconds * 0.0000133334) * 1e6, 9);
    // A cold start: one invocation billed for init + first invocation on the first node (190 ms).
    expect(model.coldStartPerMillionByArchitecture.arm64).toBeCloseTo((0.2e-6 + 0.19 * 0.25 * 0.0000133334) * 1e6, 9);
    const row = buildRows(results, model).find((r) => r[1].startsWith('Lambda cost per 1M statements'))!;
    expect(row[2]).toMatch(/^\$0\.\d+ \/ \$0\.\d+$/);
  });

  it('builds one row per measure, each with a cell per column, and a table that formats', () => {
    const rows = buildRows(results, model);
    expect(rows).toHaveLength(5 + (2 + 4 * 2 + 2) + 7 + 3 * model.comparisons.length + 1);
    for (const row of rows) expect(row).toHaveLength(TABLE_COLUMNS.length);
    const synthWall = rows[0];
    expect(synthWall.slice(2)).toEqual(['1.1 s', '5.5 s (barrel imports)', '5×']);
    const zip = rows.find((row) => row[1].startsWith('Deployment package'))!;
    expect(zip.slice(2)).toEqual(['110 KB', '10.7 MB (33 npm packages, unbundled)', '100×']);
    expect(zip[1]).toContain('goal ≤ 150 KB, headroom 40 KB');
    const synthRebuild = rows.find((row) => row[1].startsWith('`npm run synth` with the handler unchanged'))!;
    expect(synthRebuild.slice(2)).toEqual(['1.3 s (0.28×)', '4.4 s (only loading the provider barrel)', '3.4×']);
    const init22 = rows.find((row) => row[1].startsWith('Cold start, Node v22.23.5: module init'))!;
    expect(init22.slice(2)).toEqual(['110 ms (0.33×)', '330 ms (unbundled)', '3×']);
    const first20 = rows.find((row) => row[1].startsWith('Cold start, Node v20.20.2: init + first invocation'))!;
    expect(first20.slice(2)).toEqual(['210 ms (0.5×)', '420 ms (unbundled)', '2×']);
    const calls = rows.find((row) => row[1].startsWith('AWS calls'))!;
    expect(calls[2]).toBe('4 (PutItem+UpdateItem · ExecuteStatement · SendTaskSuccess)');
    const singleton = rows.find((row) => row[1].startsWith('Singleton statement'))!;
    expect(singleton[2]).toBe('7 (+3: Query+PutItem+DeleteItem); 14 WRU (lock 2), 0.5 RRU');
    const longest = rows.find((row) => row[1].startsWith('10 min statement vs poll every 10 s: transitions'))!;
    expect(longest.slice(2)).toEqual(['1 · 2 · 1', '182.5 · 0 · 61.5', '183×']);
    expect(formatTable(TABLE_COLUMNS, rows).split('\n')).toHaveLength(rows.length + 2);
  });

  it('addedCalls: what a path adds to another, repeats counted', () => {
    expect(addedCalls(['PutItem', 'UpdateItem'], ['PutItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'])).toEqual([
      'Query',
      'PutItem',
      'DeleteItem',
    ]);
    expect(addedCalls(['PutItem'], ['PutItem'])).toEqual([]);
  });

  it('notes state the prices, region and date, and the item sizes behind the write units', () => {
    const notes = buildNotes(results, model, PRICES).join('\n');
    expect(notes).toContain(`list prices for us-east-1 as of ${PRICES.checkedOn}`);
    expect(notes).toContain('$0.025 per 1,000 transitions');
    expect(notes).toContain('1198 B after start');
    expect(notes).toContain('at most 409 characters the items stay within 1 KB and a statement costs 6 WRU');
    expect(notes).toContain('27 requires');
    expect(notes).toContain('FINISHED, FAILED or ABORTED');
    expect(notes).toContain('A singleton costs 7 calls, 14 WRU and 0.5 RRU');
    expect(notes).toContain('0.5 RRU with nothing else running, 6 RRU with 200 running');
    expect(notes).toContain('https://aws.amazon.com/lambda/pricing/');
    expect(notes).toContain('$0.0000133334 on arm64');
    expect(notes).toContain('ES-module entry');
  });
});
