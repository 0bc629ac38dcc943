/**
 * Loads the tasker handler exactly as the construct ships it: `index.js` out of
 * `dist/tasker-handler.zip`, required as a fresh module (a new "Lambda container").
 *
 * The bundle reads some settings (log level) when it loads and the rest on first use. Give it its own
 * environment (`env`: contract ENV names, `AWS_ENDPOINT_URL_*`): the bundle's free `process` is then a view of
 * the real one whose `env` is that object, so several loaded bundles (several local taskers in one jest
 * worker) each reach their own endpoints and the process environment is never touched. Without `env` it
 * reads `process.env`, as in Lambda.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { readZipEntry } from './zip-reader';

/** A Lambda handler: `(event, context) => result`. */
export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

const REPO_ROOT = PACKAGE_ROOT;
/** Where `npm run build:handler` writes the zip the construct ships. */
export const DEFAULT_HANDLER_ZIP = join(REPO_ROOT, 'dist', 'tasker-handler.zip');

export interface LoadHandlerOptions {
  /** The zip to load. @default DEFAULT_HANDLER_ZIP (built with scripts/build-handler.mjs if missing) */
  zipPath?: string;
  /** The environment the bundle sees as `process.env` (its own copy, never merged into the real one). @default process.env */
  env?: Record<string, string>;
  /**
   * The `Date` the bundle sees (its free `Date`): the local tasker gives one on its kit clock (clock.ts `kitDate`),
   * so the handler's "now" (startedAt, the sweep's grace period, ages) agrees with the kit's scaled timers.
   * @default the real Date
   */
  date?: DateConstructor;
}

/** Builds the bundle with the project's own build script when the zip is missing. */
export function ensureHandlerZip(zipPath: string = DEFAULT_HANDLER_ZIP): string {
  if (!existsSync(zipPath)) {
    const buildScript = join(REPO_ROOT, 'scripts', 'build-handler.mjs');
    // An installed package ships the zip but not the build script.
    if (zipPath !== DEFAULT_HANDLER_ZIP || !existsSync(buildScript)) throw new Error(`handler bundle not found: ${zipPath}`);
    execFileSync(process.execPath, [buildScript], { stdio: 'ignore' });
  }
  return zipPath;
}

/** Extracts `index.js` to a private temp folder, requires it and returns its `handler`. */
export function loadHandlerBundle(options: LoadHandlerOptions = {}): LambdaHandler {
  const zipPath = ensureHandlerZip(options.zipPath);
  const dir = mkdtempSync(join(tmpdir(), 'tasker-bundle-'));
  try {
    const source = readZipEntry(zipPath, 'index.js').toString('utf8');
    // Loaded with `require` (not `vm`), so under jest it runs in the test's own realm (its `Error`, its `Promise`).
    // The wrapper takes `process` and `Date` as parameters: the bundle's free `process` and `Date` are then the ones given below.
    // The source starts on the wrapper's first line, so stack lines keep their numbers.
    writeFileSync(join(dir, 'index.js'), `module.exports = function (process, module, exports, Date) {${source}\n};\n`);
    // A fresh path each time, so `require` gives a fresh module instance (no shared caches between loads).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require(join(dir, 'index.js')) as (
      process: NodeJS.Process,
      module: { exports: unknown },
      exports: unknown,
      date: DateConstructor,
    ) => void;
    const bundleModule: { exports: { handler?: unknown } } = { exports: {} };
    load(options.env ? processWithEnv(options.env) : process, bundleModule, bundleModule.exports, options.date ?? Date);
    const loaded = bundleModule.exports;
    if (typeof loaded.handler !== 'function') throw new Error(`${zipPath}: index.js exports no handler function`);
    return loaded.handler as LambdaHandler;
  } finally {
    // The module is in memory now; the file is not needed.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real `process` with `env` replaced: everything else (stdout, version, emitWarning…) is the process's own. */
function processWithEnv(env: Record<string, string>): NodeJS.Process {
  const ownEnv = { ...env };
  return new Proxy(process, {
    get: (target, key) => (key === 'env' ? ownEnv : Reflect.get(target, key)),
  });
}
