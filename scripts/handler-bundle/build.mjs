// Bundles the Lambda handler with esbuild and packs it into a deterministic zip.
//
// The zip is built here, once, when the package is built, and shipped in the package
// (`dist/`), so a user's `cdktf synth` only copies these exact bytes as a Terraform asset:
// no esbuild at synth time and the same asset hash on every machine. Entries are added in a
// fixed order with a fixed mtime, so two clean builds give byte-identical zips.
//
// Nothing is rebuilt when the files the last build read (the handler sources, the lock file, these
// scripts) are unchanged, so `npm run synth` / `cdktf synth` pay only for a few hashes; `--force`
// rebuilds anyway.
//
// What goes in (measured by `npm run bench`, README "Handler bundle"):
// - The SDK from its ES-module builds (`mainFields: module` first): the client packages have no
//   `exports` map, so esbuild's node default would take their CommonJS builds, which pull whole
//   namespaces of @aws-sdk/core (every protocol, event streams, a browser user-agent parser) past
//   tree shaking.
// - The credential chain trimmed to what Lambda provides (handler-bundle/lambda-credentials.mjs).
// - No source map in the zip: `keepNames` keeps function names in stack traces, and the map is written
//   beside the zip (`tasker-handler.index.js.map`) for decoding a trace offline
//   (`node scripts/map-stack-trace.mjs`). A map loaded by `--enable-source-maps` would double the zip
//   and cost every cold start.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint, isUpToDate, projectInputs, writeStamp } from './input-fingerprint.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
const credentialsShim = join(here, 'lambda-credentials.mjs');
// Inputs esbuild does not list in its metafile but that decide the output.
const BUILD_INPUTS = [
  'package-lock.json',
  'tsconfig.json',
  'scripts/handler-bundle/build.mjs',
  'scripts/handler-bundle/input-fingerprint.mjs',
];
// 1980-01-01 00:00 in local time, the earliest a zip entry can record. DOS timestamps store local
// clock fields and `forceDosTimestamp` drops the extended (UTC) field, so the bytes do not depend on TZ.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/**
 * Builds `<distDir>/tasker-handler.zip` (+ `.sha256`, the map beside it, `handler/` with the bundle,
 * its metafile and the recorded inputs) unless the recorded inputs are unchanged; `force` rebuilds anyway.
 * Reports on stderr. @returns whether it built
 */
export async function buildHandlerBundle({ distDir = join(ROOT, 'dist'), force = false } = {}) {
  const started = performance.now();
  const root = ROOT;
  const outDir = join(distDir, 'handler');
  const zipPath = join(distDir, 'tasker-handler.zip');
  const publishedMapPath = join(distDir, 'tasker-handler.index.js.map');
  const stampPath = join(outDir, 'build-inputs.json');
  const outputsExist = [zipPath, `${zipPath}.sha256`, publishedMapPath, join(outDir, 'index.js')].every((path) => existsSync(path));
  if (!force && outputsExist && isUpToDate(root, stampPath)) {
    console.error(
      `handler bundle up to date (${relative(root, zipPath)}; sources and lock file unchanged) in ` +
        `${Math.round(performance.now() - started)} ms`,
    );
    return false;
  }

  // Loaded only when building: the up-to-date check above stays cheap.
  const [{ build }, { default: yazl }] = await Promise.all([import('esbuild'), import('yazl')]);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  /** Resolves the SDK's default credential chain to the Lambda-only one. */
  const lambdaCredentials = {
    name: 'lambda-credentials',
    setup(builder) {
      builder.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: credentialsShim }));
    },
  };

  const result = await build({
    entryPoints: [join(root, 'functions', 'tasker', 'index.ts')],
    outfile: join(outDir, 'index.js'),
    bundle: true,
    minify: true,
    keepNames: true,
    treeShaking: true,
    mainFields: ['module', 'main'],
    // The ES-module builds load some Node built-ins lazily with import() (node:http in the HTTP handler);
    // as require calls they stay CommonJS, need no ES-module loader, and load in a vm context too (jest).
    supported: { 'dynamic-import': false },
    plugins: [lambdaCredentials],
    sourcemap: 'external',
    sourcesContent: false,
    metafile: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    legalComments: 'none',
    // Relative source paths keep the map identical wherever the package is built.
    absWorkingDir: root,
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, 'meta.json'), `${JSON.stringify(result.metafile)}\n`);

  // The published map sits in dist/, one level above the bundle: its source paths are rewritten to stay correct there.
  const map = JSON.parse(readFileSync(join(outDir, 'index.js.map'), 'utf8'));
  map.sources = map.sources.map((source) => relative(distDir, resolve(outDir, source)).split('\\').join('/'));
  writeFileSync(`${publishedMapPath}.${process.pid}.partial`, JSON.stringify(map));

  const zip = new yazl.ZipFile();
  zip.addBuffer(readFileSync(join(outDir, 'index.js')), 'index.js', { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true });
  zip.end();
  // Write beside the target, then rename: a reader (a synth or test running meanwhile) sees the old zip or the new one, never half of one.
  const partialZip = `${zipPath}.${process.pid}.partial`;
  await new Promise((resolvePromise, reject) => {
    zip.outputStream.pipe(createWriteStream(partialZip)).on('close', resolvePromise).on('error', reject);
  });
  const zipBytes = readFileSync(partialZip);
  const sha256 = createHash('sha256').update(zipBytes).digest('base64');
  writeFileSync(`${partialZip}.sha256`, `${sha256}\n`);
  renameSync(partialZip, zipPath);
  renameSync(`${partialZip}.sha256`, `${zipPath}.sha256`);
  renameSync(`${publishedMapPath}.${process.pid}.partial`, publishedMapPath);
  writeStamp(stampPath, fingerprint(root, [...projectInputs(result.metafile), ...BUILD_INPUTS, relative(root, credentialsShim)]));

  const rawBytes = readFileSync(join(outDir, 'index.js')).length;
  console.error(
    `handler bundle: ${rawBytes} B raw, ${zipBytes.length} B zipped (sha256 ${sha256}) in ${Math.round(performance.now() - started)} ms`,
  );
  return true;
}
