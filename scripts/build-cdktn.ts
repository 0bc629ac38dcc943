#!/usr/bin/env -S npx tsx
// Writes the CDK Terrain (cdktn) flavour of the package (scripts/cdktn-flavour.ts) to `build/cdktn/`, or to
// the folder given with `--out <dir>`; `npm pack ./build/cdktn` then packs it. Needs the cdktf build
// (`npm run build`) first: the flavour is made from its `lib/`, `dist/` and `terraform-module/`.
import { join, resolve } from 'node:path';
import { buildCdktnFlavour } from './cdktn-flavour';

const root = join(__dirname, '..');
const at = process.argv.indexOf('--out');
const value = at === -1 ? undefined : process.argv[at + 1];
if (at !== -1 && (value === undefined || value.startsWith('--'))) {
  console.error('usage: build-cdktn.ts [--out <dir>]');
  process.exit(2);
}
const outDir = value === undefined ? join(root, 'build', 'cdktn') : resolve(value);
const started = performance.now();
const result = buildCdktnFlavour({ root, outDir });
console.error(
  `cdktn flavour: ${result.files.length} files, ${result.renamed} imports renamed, in ${outDir} ` +
    `(${Math.round(performance.now() - started)} ms)`,
);
