#!/usr/bin/env node
// The line-length half of `npm run lint`: Biome's formatter wraps code at 140 characters but leaves long
// comments and string literals as they are; this holds every line of the source files git tracks to the
// same limit. Generated files (the committed Terraform module, jest snapshots, the lock file) are not ours
// to wrap. Prints each long line as path:line (length) and exits 1 when there is one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MAX_LINE_LENGTH = 140;
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const GENERATED = [/^terraform-module\//, /(^|\/)__snapshots__\//, /(^|\/)package-lock\.json$/];

const root = join(import.meta.dirname, '..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const long = [];
for (const path of tracked) {
  if (!SOURCE.test(path) || GENERATED.some((pattern) => pattern.test(path))) continue;
  let text;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch {
    continue; // deleted in the work tree, not yet in the index
  }
  text.split('\n').forEach((line, index) => {
    if (line.length > MAX_LINE_LENGTH) long.push(`${path}:${index + 1} (${line.length})`);
  });
}
if (long.length > 0) {
  console.error(`${long.length} lines longer than ${MAX_LINE_LENGTH} characters:\n${long.join('\n')}`);
  process.exit(1);
}
