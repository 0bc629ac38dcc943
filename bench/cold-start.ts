/**
 * Cold start of the handler: a fresh `node` started from an ES-module entry, as the Lambda Node.js
 * runtime starts (its bootstrap is `index.mjs`), that loads the bundled `index.js` the way the runtime
 * client of nodejs22.x loads a `.js` handler without `"type": "module"`: with `require`
 * (aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js, `_tryRequire`). Against the same
 * handler code unbundled (the compiled sources resolving the AWS SDK and the other dependencies file by
 * file from node_modules). The bundle is also loaded with `import()`, as the client's TypeScript rewrite
 * loads every handler (src/function/module-loader.ts): Node then also scans the CommonJS file for its
 * export names. Measures the module init, then the first invocation (a scheduled sweep: the first AWS
 * call creates the client, resolves credentials from the environment, signs and sends), against a local
 * endpoint that answers the sweep's Query with nothing. Runs interleaved, on every `node` given (the
 * function's nodejs22.x and the Node 20 the package supports), and reports per-round ratios to unbundled.
 */
import { runMeasuredChild } from './child-process';
import { startEmptyDynamoEndpoint } from './empty-dynamo-endpoint';
import { median, summarize, type SampleSummary } from './stats';

export interface InitReport {
  nodeVersion: string;
  initMs: number;
  /** CPU time (user + system) spent in the import. */
  initCpuMs: number;
  /** Wall time of the first invocation after the init. */
  firstInvokeMs: number;
  files: number;
  bytes: number;
}

export interface ColdStartVariant {
  initMs: SampleSummary;
  initCpuMs: SampleSummary;
  /** Init plus the first invocation, wall. */
  initPlusFirstMs: SampleSummary;
  files: number;
  bytesLoaded: number;
}

export interface ColdStartOnNode {
  nodeVersion: string;
  bundled: ColdStartVariant;
  unbundled: ColdStartVariant;
  /** The bundle loaded with `import()` instead of `require`. */
  bundledByImport: ColdStartVariant;
  /** Medians of the per-round ratios bundled ÷ unbundled (rounds are interleaved, so load hits both alike). */
  bundledToUnbundled: { initMs: number; initCpuMs: number; initPlusFirstMs: number };
}

export interface ColdStartResult {
  runs: number;
  nodes: ColdStartOnNode[];
}

/** The event of the sweep schedule (routes to the sweep: one DynamoDB Query when nothing runs). */
const SWEEP_EVENT = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

/** The ES-module entry: loads `target` (`require` or `import()`), times it, counts the CommonJS files it loaded, then invokes once. */
const initScript = (target: string, load: 'require' | 'import'): string => {
  const loadTarget =
    load === 'require' ? `requireHandler(${JSON.stringify(target)})` : `await import(pathToFileURL(${JSON.stringify(target)}).href)`;
  return (
    `
import { performance } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const requireHandler = createRequire(import.meta.url);
const cache = requireHandler.cache;
const before = new Set(Object.keys(cache));
const started = performance.now();
const cpuBefore = process.cpuUsage();
const loaded = ${loadTarget};
const initMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const handler = loaded.handler ?? loaded.default?.handler;
if (typeof handler !== 'function') throw new Error('no handler exported by ' + ${JSON.stringify(target)});
const files = Object.keys(cache).filter((file) => !before.has(file));
const invokeStarted = performance.now();
const result = await handler(${JSON.stringify(SWEEP_EVENT)}, {});
const firstInvokeMs = performance.now() - invokeStarted;
if (result !== undefined && result !== null && typeof result !== 'object') throw new Error('unexpected sweep result ' + ` +
    `JSON.stringify(result));
globalThis.report = { nodeVersion: process.version, initMs, initCpuMs: (cpu.user + cpu.system) / 1000, firstInvokeMs, files: ` +
    `files.length, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) };
process.exit(0);
`
  );
};

export async function benchColdStart(options: {
  repoRoot: string;
  bundlePath: string;
  unbundledPath: string;
  scratchDir: string;
  runs: number;
  /** `node` executables to measure on, side by side. */
  nodePaths: string[];
  progress: (message: string) => void;
}): Promise<ColdStartResult> {
  const endpoint = await startEmptyDynamoEndpoint();
  try {
    // What the construct sets that the init or the sweep reads, and the credentials Lambda puts in the environment.
    const env = {
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'ASIABENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench-session',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TRACKING_TABLE_NAME: 'bench-tracking',
      REDSHIFT_DATABASE: 'dev',
      REDSHIFT_CLUSTER_IDENTIFIER: 'bench',
      REDSHIFT_DB_USER: 'bench',
    };
    const variants = {
      bundled: initScript(options.bundlePath, 'require'),
      unbundled: initScript(options.unbundledPath, 'require'),
      bundledByImport: initScript(options.bundlePath, 'import'),
    };
    const reports = options.nodePaths.map(() => ({
      bundled: [] as InitReport[],
      unbundled: [] as InitReport[],
      bundledByImport: [] as InitReport[],
    }));
    for (let run = 0; run < options.runs; run++) {
      for (const [index, nodePath] of options.nodePaths.entries()) {
        for (const [name, script] of Object.entries(variants) as [keyof typeof variants, string][]) {
          const result = await runMeasuredChild<InitReport>(script, {
            cwd: options.repoRoot,
            env,
            nodePath,
            entry: 'module',
            scratchDir: options.scratchDir,
          });
          reports[index][name].push(result.report);
        }
        const { bundled, unbundled } = reports[index];
        options.progress(
          `cold start ${bundled[run].nodeVersion} run ${run + 1}/${options.runs}: init bundled ${bundled[run].initMs.toFixed(0)} ms ` +
            `(CPU ${bundled[run].initCpuMs.toFixed(0)}), unbundled ${unbundled[run].initMs.toFixed(0)} ms (CPU ` +
            `${unbundled[run].initCpuMs.toFixed(0)})`,
        );
      }
    }
    return {
      runs: options.runs,
      nodes: reports.map(({ bundled, unbundled, bundledByImport }) => summarizeNode(bundled, unbundled, bundledByImport)),
    };
  } finally {
    await endpoint.stop();
  }
}

const summary = (list: InitReport[]): ColdStartVariant => ({
  initMs: summarize(list.map((r) => r.initMs)),
  initCpuMs: summarize(list.map((r) => r.initCpuMs)),
  initPlusFirstMs: summarize(list.map((r) => r.initMs + r.firstInvokeMs)),
  files: list[0].files,
  bytesLoaded: list[0].bytes,
});

/** One node's summary: both variants and the medians of the per-round ratios. */
export function summarizeNode(bundled: InitReport[], unbundled: InitReport[], bundledByImport: InitReport[]): ColdStartOnNode {
  const roundRatios = (pick: (r: InitReport) => number): number => median(bundled.map((b, i) => pick(b) / pick(unbundled[i])));
  return {
    nodeVersion: bundled[0].nodeVersion,
    bundled: summary(bundled),
    unbundled: summary(unbundled),
    bundledByImport: summary(bundledByImport),
    bundledToUnbundled: {
      initMs: roundRatios((r) => r.initMs),
      initCpuMs: roundRatios((r) => r.initCpuMs),
      initPlusFirstMs: roundRatios((r) => r.initMs + r.firstInvokeMs),
    },
  };
}
