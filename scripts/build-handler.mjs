#!/usr/bin/env node
// Bundles the Lambda handler with esbuild and packs it into a deterministic zip.
//
// The zip is built here, once, when the package is built, and shipped in the package
// (`dist/`), so a user's `cdktf synth` only copies these exact bytes as a Terraform asset:
// no esbuild at synth time and the same asset hash on every machine. Entries are added in a
// fixed order with a fixed mtime, so two clean builds give byte-identical zips.
import { build } from 'esbuild';
import yazl from 'yazl';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// HANDLER_DIST_DIR lets tests build into a scratch folder without touching the shipped `dist/`.
const distDir = process.env.HANDLER_DIST_DIR ?? join(root, 'dist');
const outDir = join(distDir, 'handler');
const zipPath = join(distDir, 'tasker-handler.zip');
// 1980-01-01 00:00 in local time, the earliest a zip entry can record. DOS timestamps store local
// clock fields and `forceDosTimestamp` drops the extended (UTC) field, so the bytes do not depend on TZ.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

const started = performance.now();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

await build({
  entryPoints: [join(root, 'functions', 'tasker', 'index.ts')],
  outfile: join(outDir, 'index.js'),
  bundle: true,
  minify: true,
  treeShaking: true,
  sourcemap: 'external',
  sourcesContent: false,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  legalComments: 'none',
  // Relative source paths keep the map identical wherever the package is built.
  absWorkingDir: root,
  logLevel: 'warning',
});

const zip = new yazl.ZipFile();
for (const name of ['index.js', 'index.js.map']) {
  zip.addBuffer(readFileSync(join(outDir, name)), name, { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true });
}
zip.end();
// Write beside the target, then rename: a reader (a synth or test running meanwhile) sees the old zip or the new one, never half of one.
const partialZip = `${zipPath}.${process.pid}.partial`;
await new Promise((resolve, reject) => {
  zip.outputStream.pipe(createWriteStream(partialZip)).on('close', resolve).on('error', reject);
});
const zipBytes = readFileSync(partialZip);
const sha256 = createHash('sha256').update(zipBytes).digest('base64');
writeFileSync(`${partialZip}.sha256`, `${sha256}\n`);
renameSync(partialZip, zipPath);
renameSync(`${partialZip}.sha256`, `${zipPath}.sha256`);
const rawBytes = readFileSync(join(outDir, 'index.js')).length;
console.error(
  `handler bundle: ${rawBytes} B raw, ${zipBytes.length} B zipped (sha256 ${sha256}) in ${Math.round(performance.now() - started)} ms`,
);
