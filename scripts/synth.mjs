#!/usr/bin/env node
// `npm run synth` and `cdktf synth` (cdktf.json `app`): synthesises the example app (main.ts) into
// cdktf.out/ (or CDKTF_OUTDIR) in one process, redoing only what changed:
// - the handler bundle is rebuilt only when its sources, the lock file or the build scripts changed
//   (handler-bundle/build.mjs);
// - the app's TypeScript is compiled with esbuild into dist/synth-app/main.js (npm packages left
//   external, so they load from node_modules as with tsx) only when a file it was compiled from, the
//   lock file or this script changed, then required. Running tsx instead costs its own process and a
//   transform of every source on each run.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { buildHandlerBundle, ROOT } from './handler-bundle/build.mjs';
import { fingerprint, isUpToDate, projectInputs, writeStamp } from './handler-bundle/input-fingerprint.mjs';

const appDir = join(ROOT, 'dist', 'synth-app');
const appMain = join(appDir, 'main.js');
const stampPath = join(appDir, 'build-inputs.json');
const APP_BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/synth.mjs', 'scripts/handler-bundle/input-fingerprint.mjs'];

/** Compiles main.ts and what it imports from the project into one CommonJS file, unless unchanged. */
async function compileApp() {
  if (existsSync(appMain) && isUpToDate(ROOT, stampPath)) return;
  const started = performance.now();
  const { build } = await import('esbuild');
  mkdirSync(appDir, { recursive: true });
  const result = await build({
    entryPoints: [join(ROOT, 'main.ts')],
    outfile: appMain,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    metafile: true,
    absWorkingDir: ROOT,
    logLevel: 'warning',
  });
  writeStamp(stampPath, fingerprint(ROOT, [...projectInputs(result.metafile), ...APP_BUILD_INPUTS]));
  console.error(`synth app compiled to ${relative(ROOT, appMain)} in ${Math.round(performance.now() - started)} ms`);
}

await buildHandlerBundle();
await compileApp();
createRequire(import.meta.url)(appMain);
