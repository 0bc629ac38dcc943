/**
 * Loads the tasker handler exactly as the construct ships it: `index.js` out of
 * `dist/tasker-handler.zip`, required as a fresh module (a new "Lambda container").
 *
 * The bundle reads some settings (log level) when it loads and the rest on first use, so set the
 * environment (contract ENV names, `AWS_ENDPOINT_URL_*`) before calling `loadHandlerBundle`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readZipEntry } from './zip-reader';

/** A Lambda handler: `(event, context) => result`. */
export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** The package root: the nearest folder above this file with a package.json (works from sources and from lib/). */
const REPO_ROOT = findPackageRoot(__dirname);
/** Where `npm run build:handler` writes the zip the construct ships. */
export const DEFAULT_HANDLER_ZIP = join(REPO_ROOT, 'dist', 'tasker-handler.zip');

export interface LoadHandlerOptions {
  /** The zip to load. @default DEFAULT_HANDLER_ZIP (built with scripts/build-handler.mjs if missing) */
  zipPath?: string;
}

/** Builds the bundle with the project's own build script when the zip is missing. */
export function ensureHandlerZip(zipPath: string = DEFAULT_HANDLER_ZIP): string {
  if (!existsSync(zipPath)) {
    if (zipPath !== DEFAULT_HANDLER_ZIP) throw new Error(`handler bundle not found: ${zipPath}`);
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-handler.mjs')], { stdio: 'ignore' });
  }
  return zipPath;
}

/** Extracts `index.js` to a private temp folder, requires it and returns its `handler`. */
export function loadHandlerBundle(options: LoadHandlerOptions = {}): LambdaHandler {
  const zipPath = ensureHandlerZip(options.zipPath);
  const dir = mkdtempSync(join(tmpdir(), 'tasker-bundle-'));
  try {
    writeFileSync(join(dir, 'index.js'), readZipEntry(zipPath, 'index.js'));
    // A fresh path each time, so `require` gives a fresh module instance (no shared caches between loads).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(join(dir, 'index.js')) as { handler?: unknown };
    if (typeof loaded.handler !== 'function') throw new Error(`${zipPath}: index.js exports no handler function`);
    return loaded.handler as LambdaHandler;
  } finally {
    // The module is in memory now; the file is not needed.
    rmSync(dir, { recursive: true, force: true });
  }
}

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}
