/**
 * Turns the measurements into the one table (and its notes): what is measured is shown as measured, what
 * is modelled (the polling loop, prices) says so. Pure: no I/O, so the arithmetic is unit-tested.
 */
import type { ColdStartResult, ColdStartVariant } from './cold-start';
import {
  callbackUsage,
  fixedMonthlyUsage,
  lambdaCostByArchitecture,
  pollingLoopEstimate,
  priceUsage,
  billedMs,
  type ArchitectureCost,
  type StatementUsage,
} from './cost-model';
import type { HandlerBenchResult } from './handler-bench';
import type { Prices } from './prices';
import { ratio } from './stats';
import type { SynthBenchResult } from './synth-bench';
import type { SynthRebuildResult } from './synth-rebuild';
import { formatBytes, formatDollars, formatDuration, formatNumber, formatRatio, type Column } from './table';

export interface BuildResult {
  bundleBytes: number;
  /** The source map written beside the zip (not in it). */
  sourceMapBytes: number;
  zipBytes: number;
  /** The npm packages the bundle draws from, as installed in node_modules (what an unbundled deployment ships). */
  unbundledPackages: number;
  unbundledPackageBytes: number;
}

export interface BenchResults {
  build: BuildResult;
  synth: SynthBenchResult;
  synthRebuild: SynthRebuildResult;
  coldStart: ColdStartResult;
  handler: HandlerBenchResult;
}

/** Statement durations and polling intervals the comparison covers, in seconds. */
export const STATEMENT_SECONDS = [10, 60, 600] as const;
export const POLL_INTERVAL_SECONDS = [10, 60] as const;
/** The zip size the handler package must stay within (issue 17's goal). */
export const ZIP_GOAL_BYTES = 150 * 1024;
/** The construct's default function memory, and the smallest. */
export const LAMBDA_MEMORY_MB = [256, 128] as const;

export const TABLE_COLUMNS: Column[] = [
  { title: 'Section' },
  { title: 'Measure' },
  { title: 'This package', align: 'right' },
  { title: 'Alternative', align: 'right' },
  { title: 'Alt ÷ ours', align: 'right' },
];

export interface Comparison {
  statementSeconds: number;
  intervalSeconds: number;
  callback: { usage: StatementUsage; costPerMillion: Record<number, number>; addedLatencyMs: number; addedLatencyWorstMs: number };
  polling: {
    usage: StatementUsage;
    usageWorst: StatementUsage;
    costPerMillion: Record<number, number>;
    addedLatencyMs: number;
    addedLatencyWorstMs: number;
  };
}

export interface Model {
  /** Lambda dollars per 1M statements (256 MB, one event per completion invocation) on each architecture. */
  lambdaPerMillionByArchitecture: ArchitectureCost;
  /** Lambda dollars per 1M cold starts (256 MB): init + first invocation of the bundle on the first node measured, billed. */
  coldStartPerMillionByArchitecture: ArchitectureCost;
  callbackBatch1: StatementUsage;
  callbackBatch10: StatementUsage;
  comparisons: Comparison[];
  fixedMonthly: { usage: StatementUsage; cost: Record<number, number> };
}

const perMillion = (usage: StatementUsage, prices: Prices): Record<number, number> =>
  Object.fromEntries(LAMBDA_MEMORY_MB.map((mb) => [mb, priceUsage(usage, prices, mb).total * 1e6]));

const humanSeconds = (seconds: number): string => (seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`);

/** The cost model fed with the measurements. */
export function buildModel(results: BenchResults, prices: Prices): Model {
  const h = results.handler;
  const measured = {
    startMs: h.startMs.median,
    dynamoWru: h.dynamo.wru,
    dynamoRru: h.dynamo.rru,
    dataApiCalls: h.calls.redshiftData.length,
    logBytes: h.logBytesPerStatement,
  };
  const callbackBatch1 = callbackUsage({ ...measured, batchFill: 1, completionBatchMs: h.batch1Ms.median });
  const callbackBatch10 = callbackUsage({ ...measured, batchFill: 10, completionBatchMs: h.batch10Ms.median });
  const comparisons: Comparison[] = [];
  for (const statementSeconds of STATEMENT_SECONDS) {
    for (const intervalSeconds of POLL_INTERVAL_SECONDS) {
      const polling = pollingLoopEstimate({ statementSeconds, intervalSeconds });
      comparisons.push({
        statementSeconds,
        intervalSeconds,
        callback: {
          usage: callbackBatch1,
          costPerMillion: perMillion(callbackBatch1, prices),
          addedLatencyMs: h.callbackLatencyMs.median,
          addedLatencyWorstMs: h.callbackLatencyMs.max,
        },
        polling: {
          usage: polling.usageAverage,
          usageWorst: polling.usageWorst,
          costPerMillion: perMillion(polling.usageAverage, prices),
          addedLatencyMs: polling.addedLatencyAverageSeconds * 1000,
          addedLatencyWorstMs: polling.addedLatencyWorstSeconds * 1000,
        },
      });
    }
  }
  const fixed = fixedMonthlyUsage({
    sweepBilledMs: billedMs(h.sweep.ms),
    sweepQueries: h.sweep.calls.filter((call) => call === 'Query').length,
  });
  const perMillionArch = (cost: ArchitectureCost): ArchitectureCost => ({ x86_64: cost.x86_64 * 1e6, arm64: cost.arm64 * 1e6 });
  const coldNode = results.coldStart.nodes[0];
  return {
    lambdaPerMillionByArchitecture: perMillionArch(
      lambdaCostByArchitecture(callbackBatch1.lambdaInvocations, callbackBatch1.lambdaBilledMs, prices, 256),
    ),
    coldStartPerMillionByArchitecture: perMillionArch(
      lambdaCostByArchitecture(1, billedMs(coldNode.bundled.initPlusFirstMs.median), prices, 256),
    ),
    callbackBatch1,
    callbackBatch10,
    comparisons,
    fixedMonthly: { usage: fixed, cost: Object.fromEntries(LAMBDA_MEMORY_MB.map((mb) => [mb, priceUsage(fixed, prices, mb).total])) },
  };
}

/** The calls of `withCheck` beyond those of `plain` (as a multiset), in their order. */
export function addedCalls(plain: readonly string[], withCheck: readonly string[]): string[] {
  const left = [...plain];
  return withCheck.filter((call) => {
    const at = left.indexOf(call);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

const counts = (usage: StatementUsage): string =>
  `${formatNumber(usage.stateTransitions, 2)} · ${formatNumber(usage.lambdaInvocations, 2)} · ${formatNumber(usage.dataApiCalls, 2)}`;

/** The table rows (cells as text) in TABLE_COLUMNS order. */
export function buildRows(results: BenchResults, model: Model): string[][] {
  const { synth, coldStart, handler: h, build } = results;
  const rows: string[][] = [];
  const row = (section: string, measure: string, ours: string, alternative = '–', alternativeRatio?: number): void => {
    rows.push([section, measure, ours, alternative, formatRatio(alternativeRatio)]);
  };

  row(
    'Synth',
    `Example app (${synth.stacks.length} stacks), compiled, \`node main.js\`: wall time, median of ${synth.runs}`,
    formatDuration(synth.deep.wallMs.median),
    `${formatDuration(synth.barrel.wallMs.median)} (barrel imports)`,
    ratio(synth.barrel.wallMs.median, synth.deep.wallMs.median),
  );
  row(
    'Synth',
    'CPU time (user + system) of that process, median',
    formatDuration(synth.deep.cpuMs.median),
    `${formatDuration(synth.barrel.cpuMs.median)} (barrel imports)`,
    ratio(synth.barrel.cpuMs.median, synth.deep.cpuMs.median),
  );
  row(
    'Synth',
    'Peak RSS of that process, median',
    formatBytes(synth.deep.maxRssBytes.median),
    `${formatBytes(synth.barrel.maxRssBytes.median)} (barrel imports)`,
    ratio(synth.barrel.maxRssBytes.median, synth.deep.maxRssBytes.median),
  );

  const sr = results.synthRebuild;
  row(
    'Synth',
    `\`npm run synth\` with the handler unchanged (its up-to-date check: ${formatDuration(sr.upToDateCheckMs.median)}), wall, median of ` +
      `${sr.runs}; ours ÷ alternative`,
    `${formatDuration(sr.npmSynthMs.median)} (${formatNumber(sr.synthToBarrel, 2)}×)`,
    `${formatDuration(sr.barrelLoadMs.median)} (only loading the provider barrel)`,
    ratio(sr.barrelLoadMs.median, sr.npmSynthMs.median),
  );
  row(
    'Synth',
    "CPU time of those processes (all of npm's children), median; ours ÷ alternative",
    `${formatDuration(sr.npmSynthCpuMs.median)} (${formatNumber(sr.synthToBarrelCpu, 2)}×)`,
    `${formatDuration(sr.barrelLoadCpuMs.median)} (only loading the provider barrel)`,
    ratio(sr.barrelLoadCpuMs.median, sr.npmSynthCpuMs.median),
  );

  row(
    'Handler',
    `Deployment package: \`tasker-handler.zip\` (bundle only; goal ≤ ${formatBytes(ZIP_GOAL_BYTES)}, headroom ` +
      `${formatBytes(ZIP_GOAL_BYTES - build.zipBytes)})`,
    formatBytes(build.zipBytes),
    `${formatBytes(build.unbundledPackageBytes)} (${build.unbundledPackages} npm packages, unbundled)`,
    ratio(build.unbundledPackageBytes, build.zipBytes),
  );
  const first = coldStart.nodes[0];
  row(
    'Handler',
    'Code loaded by the module init',
    `${formatBytes(build.bundleBytes)} in 1 file`,
    `${formatBytes(first.unbundled.bytesLoaded)} in ${first.unbundled.files} files (unbundled)`,
    ratio(first.unbundled.bytesLoaded, build.bundleBytes),
  );
  for (const node of coldStart.nodes) {
    const coldRow = (measure: string, pick: (variant: ColdStartVariant) => number, roundRatio: number): void =>
      row(
        'Handler',
        `Cold start, Node ${node.nodeVersion}: ${measure}`,
        `${formatDuration(pick(node.bundled))} (${formatNumber(roundRatio, 2)}×)`,
        `${formatDuration(pick(node.unbundled))} (unbundled)`,
        ratio(pick(node.unbundled), pick(node.bundled)),
      );
    coldRow(
      `module init (ES-module entry, \`require\` as nodejs22.x loads index.js), wall, median of ${coldStart.runs}; ours ÷ unbundled`,
      (v) => v.initMs.median,
      node.bundledToUnbundled.initMs,
    );
    coldRow('CPU time of that init, median', (v) => v.initCpuMs.median, node.bundledToUnbundled.initCpuMs);
    coldRow(
      'init + first invocation (sweep: three DynamoDB calls), wall, median',
      (v) => v.initPlusFirstMs.median,
      node.bundledToUnbundled.initPlusFirstMs,
    );
    row(
      'Handler',
      `Cold start, Node ${node.nodeVersion}: the bundle loaded with \`import()\` instead (newer runtime clients): init wall / CPU, median`,
      `${formatDuration(node.bundledByImport.initMs.median)} / ${formatDuration(node.bundledByImport.initCpuMs.median)}`,
    );
  }
  row(
    'Handler',
    'Lambda cost per 1M statements (256 MB, measured handler time): x86_64 / arm64',
    `${formatDollars(model.lambdaPerMillionByArchitecture.x86_64)} / ${formatDollars(model.lambdaPerMillionByArchitecture.arm64)}`,
  );
  row(
    'Handler',
    `Lambda cost per 1M cold starts (256 MB, init + first invocation on Node ${first.nodeVersion}): x86_64 / arm64`,
    `${formatDollars(model.coldStartPerMillionByArchitecture.x86_64)} / ${formatDollars(model.coldStartPerMillionByArchitecture.arm64)}`,
  );

  const c = h.calls;
  row(
    'Happy path',
    'AWS calls per statement (DynamoDB · Data API · Step Functions)',
    `${h.callCount} (${c.dynamodb.join('+')} · ${c.redshiftData.join('+')} · ${c.sfn.join('+')})`,
  );
  row(
    'Happy path',
    `DynamoDB write units per statement (${h.dynamo.taskTokenLength}-char token; 2,048-char token)`,
    `${h.dynamo.wru} WRU (${h.dynamo.wruWithLongestToken}), 0 RRU`,
  );
  const s = h.singleton;
  const added = addedCalls(h.calls.dynamodb, s.calls.dynamodb);
  row(
    'Happy path',
    'Singleton statement (`executeSingletonStatement`): AWS calls; DynamoDB units',
    `${s.callCount} (+${added.length}: ${added.join('+')}); ${s.wru} WRU (lock ${s.lockWru}), ${s.rru} RRU`,
  );
  row('Happy path', 'Handler time: start invocation, median', formatDuration(h.startMs.median));
  row(
    'Happy path',
    'Handler time per completion event: batch of 1 / batch of 10, median',
    `${formatDuration(h.batch1Ms.median)} / ${formatDuration(h.batch10PerEventMs.median)}`,
  );
  row(
    'Happy path',
    'Statement end → callback received (local rule → queue → handler), median / max',
    `${formatDuration(h.callbackLatencyMs.median)} / ${formatDuration(h.callbackLatencyMs.max)}`,
  );
  row('Happy path', 'Log bytes per statement (CloudWatch Logs ingestion)', formatBytes(h.logBytesPerStatement));

  for (const comparison of model.comparisons) {
    const label = `${humanSeconds(comparison.statementSeconds)} statement vs poll every ${humanSeconds(comparison.intervalSeconds)}`;
    row(
      'vs polling',
      `${label}: transitions · Lambda invocations · Data API calls`,
      counts(comparison.callback.usage),
      counts(comparison.polling.usage),
      ratio(comparison.polling.usage.stateTransitions, comparison.callback.usage.stateTransitions),
    );
    // No ratio: the callback figure is local only (AWS adds EventBridge, SQS and polling hops).
    row(
      'vs polling',
      `${label}: added latency after the end, average / worst`,
      `${formatDuration(comparison.callback.addedLatencyMs)} / ${formatDuration(comparison.callback.addedLatencyWorstMs)}`,
      `${formatDuration(comparison.polling.addedLatencyMs)} / ${formatDuration(comparison.polling.addedLatencyWorstMs)}`,
    );
    row(
      'vs polling',
      `${label}: cost per 1M statements (Lambda 256 MB)`,
      formatDollars(comparison.callback.costPerMillion[256]),
      formatDollars(comparison.polling.costPerMillion[256]),
      ratio(comparison.polling.costPerMillion[256], comparison.callback.costPerMillion[256]),
    );
  }
  row('Fixed', 'Per tasker per month: sweep every 5 min + idle queue long polls', formatDollars(model.fixedMonthly.cost[256]), '$0');
  return rows;
}

/** The notes printed under the table: where each figure comes from. */
export function buildNotes(results: BenchResults, model: Model, prices: Prices): string[] {
  const h = results.handler;
  const batch10 = model.callbackBatch10;
  const cost10 = priceUsage(batch10, prices, 256).total * 1e6;
  const cost1 = priceUsage(model.callbackBatch1, prices, 256).total * 1e6;
  const cost1At128 = priceUsage(model.callbackBatch1, prices, 128).total * 1e6;
  const durationCost = priceUsage(model.callbackBatch1, prices, 256).lambdaDuration * 1e6;
  return [
    `Synth: the example app compiled file by file (esbuild, the same require graph as tsc's lib/), run with \`node\` in a fresh process ` +
      `per run into a scratch output folder, deep imports (as shipped) against the same compiled files with every ` +
      `\`require("@cdktf/provider-aws/lib/<x>")\` rewritten to \`require("@cdktf/provider-aws").<namespace>\` ` +
      `(${results.synth.rewrittenImports} requires); both synthesise byte-identical Terraform JSON (checked). Runs interleaved.`,
    `Handler package: the zip holds the minified bundle only (\`keepNames\`, so stack traces name functions); its source map ` +
      `(${formatBytes(results.build.sourceMapBytes)}) is written beside the zip for decoding traces offline ` +
      `(\`scripts/map-stack-trace.mjs\`), not shipped. The unbundled size counts the whole installed folder of every npm package the ` +
      `bundle's source map draws from.`,
    `Cold start: a fresh \`node\` per run started from an ES-module entry (as the Lambda Node.js runtime starts) that loads the bundle ` +
      `with \`require\`, as the nodejs22.x runtime client loads an \`index.js\` without \`"type": "module"\` ` +
      `(aws-lambda-nodejs-runtime-interface-client src/UserFunction.js), against the same handler sources compiled file by file ` +
      `(their \`require\`s resolve the SDK's CommonJS builds from node_modules); then the first invocation, a scheduled sweep whose ` +
      `DynamoDB calls (client creation, credentials from the environment as Lambda sets them, signing, HTTP: the upgrade ` +
      `marker's GetItem, answered "done", and two index Queries, answered empty) a local endpoint answers. Runs interleaved ` +
      `across variants and Node versions; "×" cells are medians of the per-round ratios ours ÷ unbundled (goals: init ≤ 0.4×, ` +
      `init + first invocation ≤ 0.6×).`,
    `Synth without changes: \`npm run synth\` (the handler build finds its recorded inputs, the handler sources, lock file and build ` +
      `scripts, unchanged and stops, then the app synthesises) into a scratch folder, against \`node -e ` +
      `"require('@cdktf/provider-aws')"\`, interleaved in the same run; \`cdktf synth\` runs the same commands (cdktf.json \`app\`). ` +
      `Goal: ≤ 0.3× the barrel load.`,
    `Architectures: Lambda list prices for ${prices.region} as of ${prices.checkedOn} (https://aws.amazon.com/lambda/pricing/): ` +
      `$${prices.lambdaPerRequest * 1e6} per 1M requests on both; duration $${prices.lambdaPerGbSecond} per GB-s on x86_64 and ` +
      `$${prices.lambdaArmPerGbSecond} on arm64 (first tiers), both with the duration measured here (this machine is x86_64; arm64 ` +
      `run time not measured). Per statement the Lambda part is small: ` +
      `${formatDollars(model.lambdaPerMillionByArchitecture.x86_64 - model.lambdaPerMillionByArchitecture.arm64)} per 1M statements ` +
      `separates the two.`,
    `Handler: the esbuild bundle as shipped, required in-process and called as Lambda would, against the local Data API (PGlite), ` +
      `dynalite behind a counting proxy and the local Step Functions endpoint; calls are counted at those endpoints. Handler times are ` +
      `in-process against local endpoints: a lower bound for AWS, where each of the ${h.callCount} calls is a network round trip.`,
    `DynamoDB units are computed from the items read back (DynamoDB's item-size rules; 1 WRU per started KB; an update bills the larger ` +
      `of before/after). Start: PutItem ${h.dynamo.startWrite.table} WRU + GSIs ${Object.entries(h.dynamo.startWrite.indexes)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}; completion: two UpdateItems (the claim, then the answer recorded) ${h.dynamo.completionWrite.table} WRU + ${Object.entries(
        h.dynamo.completionWrite.indexes,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )} (the indexes project the keys + statementId (byRunning also the 64-character runningSql, byPendingCallback completedAt) only, ` +
      `so an index entry is 1 WRU whatever the token; the completion changes no key or projected attribute of byExecution, so it ` +
      `writes byRunning, as the item leaves that sparse index, and byPendingCallback, which the claim enters and the answer leaves, ` +
      `so that an unanswered callback is always found by the sweep). Items: ${h.dynamo.itemBytesAfterStart} B after start, ` +
      `${h.dynamo.itemBytesAfterCompletion} B after completion, most of it the task token (${h.dynamo.taskTokenLength} ` +
      `characters assumed, stored as its bytes since it is base64; real tokens vary with the execution, up to 2,048): with ` +
      `tokens of at most ${h.dynamo.tokenLengthWithin1Kb} characters the items stay within 1 KB and a statement costs ` +
      `${h.dynamo.wruWithin1Kb} WRU. No reads on the happy path.`,
    `Singleton check (executeSingletonStatement only): a lock item for the SQL text and database (conditional PutItem at start, ` +
      `DeleteItem at completion: ${h.singleton.lockWru} WRU) serialises singletons, and one Query of the running index, filtered on the ` +
      `SQL hash every running item carries (runningSql, projected into byRunning), finds a plain statement of the same SQL: ` +
      `${h.singleton.rru} RRU with nothing else running, ${h.singleton.rruWith200Running} RRU with 200 running (the Data API's ` +
      `limit per cluster). A singleton costs ${h.singleton.callCount} calls, ${h.singleton.wru} WRU and ${h.singleton.rru} RRU; a ` +
      `plain statement pays nothing for it: no call, and the 74 bytes of runningSql keep its item and index entries within the ` +
      `write units above.`,
    `Callback latency is local only: it covers the rule match, the queue, the handler's UpdateItem and SendTaskSuccess; on AWS, ` +
      `EventBridge delivery, SQS and the event source mapping's polling add time not measured here.`,
    `Polling is modelled from polling-loop.asl.json (ExecuteStatement, then Wait N s → DescribeStatement → Choice, leaving on FINISHED, ` +
      `FAILED or ABORTED, with SDK integrations: no Lambda): 1 + 3 transitions per poll; polls = D/N + 1/2 on average (the end falls ` +
      `anywhere within an interval), so the added latency is N/2 on average and N at worst. A Lambda-based poller adds one invocation ` +
      `per Data API call.`,
    `Costs per statement use list prices for ${prices.region} as of ${prices.checkedOn}: Step Functions Standard ` +
      `$${prices.stepFunctionsPerTransition * 1000} per 1,000 transitions; Lambda $${prices.lambdaPerRequest * 1e6} per 1M requests + ` +
      `$${prices.lambdaPerGbSecond} per GB-s (measured handler time, billed per ms); SQS $${prices.sqsPerRequest * 1e6} per 1M ` +
      `requests (EventBridge's send + the mapping's receive and delete); DynamoDB on-demand $${prices.dynamoPerWru * 1e6} per 1M ` +
      `WRU / $${prices.dynamoPerRru * 1e6} per 1M RRU; CloudWatch Logs $${prices.logsPerGb}/GB ingested. Free: Redshift Data API ` +
      `requests, AWS service events on the default event bus, Step Functions SendTask* calls. No free tiers applied.`,
    `Callback flow per 1M statements: ${formatDollars(cost1)} with one event per invocation (256 MB; ${formatDollars(cost1At128)} at ` +
      `128 MB), ${formatDollars(cost10)} when events arrive in batches of 10; it does not grow with the statement's duration. Lambda ` +
      `duration is ${formatDollars(durationCost)} of it: ten times the local handler time would add ` +
      `${formatDollars(9 * durationCost)}. Step Functions transitions dominate both approaches; DynamoDB comes second.`,
    `Fixed: ${formatNumber(model.fixedMonthly.usage.lambdaInvocations, 0)} sweep invocations a month (AWS calls of one sweep with ` +
      `nothing overdue: ${h.sweep.calls.join(', ') || 'none'}; priced as 0.5 RRU each) and ` +
      `~${formatNumber(model.fixedMonthly.usage.sqsRequests, 0)} empty long polls (assumed 5 pollers × 20 s) on an idle queue.`,
  ];
}
