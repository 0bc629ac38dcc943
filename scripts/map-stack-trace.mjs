#!/usr/bin/env node
// Maps the positions in a stack trace of the deployed handler (`/var/task/index.js:1:23456`) to the
// TypeScript sources, with the source map the build writes beside the zip. The zip carries no map
// (it would double the package and slow every cold start), so decode traces here, offline:
//
//   node scripts/map-stack-trace.mjs [trace.txt] [--map dist/tasker-handler.index.js.map] < trace.txt
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `trace` with every `index.js:<line>:<column>` replaced by `<source>:<line>:<column>` (1-based, as printed). */
export function mapStackTrace(trace, mapPath) {
  const payload = JSON.parse(readFileSync(mapPath, 'utf8'));
  const map = new SourceMap(payload);
  return trace.replace(/(?:[^\s()]*[\\/])?index\.js:(\d+):(\d+)/g, (whole, line, column) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || entry.originalSource === undefined) return whole;
    // Sources are stored relative to the map; print them relative to the working folder.
    const source = relative(process.cwd(), resolve(dirname(mapPath), entry.originalSource.replace(/^file:\/\//, '')));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const mapAt = args.indexOf('--map');
  const mapPath = mapAt >= 0 ? args.splice(mapAt, 2)[1] : join(root, 'dist', 'tasker-handler.index.js.map');
  const trace = args[0] ? readFileSync(args[0], 'utf8') : readFileSync(0, 'utf8');
  process.stdout.write(mapStackTrace(trace, mapPath));
}
