#!/usr/bin/env -S npx tsx
// Writes the Terraform module plain-HCL users call (see module-builder/build-module.ts)
// to `terraform-module/` at the package root, or to the folder given with `--out <dir>`.
// Needs the handler bundle: run `npm run build:handler` first (`npm run build:module` does).
import { join, resolve } from 'node:path';
import { buildTerraformModule } from '../module-builder/build-module';

function outDirFromArgs(argv: readonly string[]): string {
  const at = argv.indexOf('--out');
  if (at === -1) return join(__dirname, '..', 'terraform-module');
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) {
    console.error('usage: build-module.ts [--out <dir>]');
    process.exit(2);
  }
  return resolve(value);
}

const outDir = outDirFromArgs(process.argv.slice(2));
const result = buildTerraformModule({ outDir });
console.error(`terraform module: ${result.files.length} files in ${outDir} (${result.durationMs} ms)`);
