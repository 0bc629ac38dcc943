import { PRICES } from '../../bench/prices';
import { addedCalls, buildModel, buildNotes, buildRows, POLL_INTERVAL_SECONDS, STATEMENT_SECONDS, TABLE_COLUMNS, type BenchResults } from '../../bench/report';
import { summarize } from '../../bench/stats';
import { formatTable } from '../../bench/table';

const variant = (wall: number[], cpu: number[], rss: number[]) => ({ wallMs: summarize(wall), cpuMs: summarize(cpu), maxRssBytes: summarize(rss) });
const init = (ms: number[], cpu: number[], files: number, bytes: number) => ({ initMs: summarize(ms), initCpuMs: summarize(cpu), files, bytesLoaded: bytes });

/** Results shaped as the bench produces them, with round numbers to check the arithmetic by hand. */
const results: BenchResults = {
  build: { bundleBytes: 680_000, sourceMapBytes: 1_500_000, zipBytes: 450_000, unbundledPackages: 33, unbundledPackageBytes: 11_250_000 },
  synth: {
    runs: 3,
    deep: variant([1000, 1200, 1100], [900, 950, 1000], [80e6, 81e6, 82e6]),
    barrel: variant([5000, 5600, 5500], [4000, 4100, 4200], [520e6, 530e6, 525e6]),
    rewrittenImports: 27,
    stacks: ['cluster-example', 'serverless-example'],
  },
  coldStart: {
    runs: 3,
    bundled: init([100, 110, 120], [90, 95, 100], 1, 680_000),
    bundledWithSourceMaps: init([130, 140, 150], [120, 125, 130], 1, 680_000),
    unbundled: init([300, 330, 360], [250, 260, 270], 76, 1_400_000),
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
      calls: { dynamodb: ['PutItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], redshiftData: ['ExecuteStatement'], sfn: ['SendTaskSuccess'] },
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
    const duration = 27 / 1000 * 0.25 * 0.0000166667 * 1e6;
    const logs = (1200 / 1024 ** 3) * 0.5 * 1e6;
    expect(c.callback.costPerMillion[256]).toBeCloseTo(25 + 0.4 + duration + 1.2 + 7.5 + logs, 6);
    expect(c.callback.costPerMillion[128]).toBeCloseTo(25 + 0.4 + duration / 2 + 1.2 + 7.5 + logs, 6);
    expect(c.polling.addedLatencyMs).toBe(5000);
    expect(c.polling.addedLatencyWorstMs).toBe(10_000);
    expect(c.callback.addedLatencyMs).toBe(14);
  });

  it('builds one row per measure, each with a cell per column, and a table that formats', () => {
    const rows = buildRows(results, model);
    expect(rows).toHaveLength(3 + 5 + 7 + 3 * model.comparisons.length + 1);
    for (const row of rows) expect(row).toHaveLength(TABLE_COLUMNS.length);
    const synthWall = rows[0];
    expect(synthWall.slice(2)).toEqual(['1.1 s', '5.5 s (barrel imports)', '5×']);
    const zip = rows.find((row) => row[1].startsWith('Deployment package'))!;
    expect(zip.slice(2)).toEqual(['439.5 KB', '10.7 MB (33 npm packages, unbundled)', '25×']);
    const calls = rows.find((row) => row[1].startsWith('AWS calls'))!;
    expect(calls[2]).toBe('4 (PutItem+UpdateItem · ExecuteStatement · SendTaskSuccess)');
    const singleton = rows.find((row) => row[1].startsWith('Singleton statement'))!;
    expect(singleton[2]).toBe('7 (+3: Query+PutItem+DeleteItem); 14 WRU (lock 2), 0.5 RRU');
    const longest = rows.find((row) => row[1].startsWith('10 min statement vs poll every 10 s: transitions'))!;
    expect(longest.slice(2)).toEqual(['1 · 2 · 1', '182.5 · 0 · 61.5', '183×']);
    expect(formatTable(TABLE_COLUMNS, rows).split('\n')).toHaveLength(rows.length + 2);
  });

  it('addedCalls: what a path adds to another, repeats counted', () => {
    expect(addedCalls(['PutItem', 'UpdateItem'], ['PutItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'])).toEqual(['Query', 'PutItem', 'DeleteItem']);
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
  });
});
