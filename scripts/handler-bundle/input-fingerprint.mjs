// Decides whether the handler bundle must be rebuilt: the build records the SHA-256 of every file it
// read from the project (the esbuild metafile's inputs outside node_modules) plus the lock file (which
// pins every bundled package) and the build scripts; a later run rebuilds only if one of them changed
// or disappeared. A new source file can only enter the bundle through an import in a recorded file, so
// the recorded set is enough.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const hashFile = (path) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null);

/** `{ relativePath: sha256 }` for `relativePaths` under `root`, sorted by path (a missing file hashes to null). */
export function fingerprint(root, relativePaths) {
  return Object.fromEntries([...new Set(relativePaths)].sort().map((path) => [path, hashFile(join(root, path))]));
}

/** The project files a metafile lists as inputs (node_modules excluded: the lock file stands for them). */
export function projectInputs(metafile) {
  return Object.keys(metafile.inputs).filter((path) => !path.split(/[\\/]/).includes('node_modules'));
}

/** True when `stampPath` exists and every file it records still has the recorded hash. */
export function isUpToDate(root, stampPath) {
  if (!existsSync(stampPath)) return false;
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(stampPath, 'utf8')).inputs;
  } catch {
    return false;
  }
  if (!recorded || typeof recorded !== 'object' || Object.keys(recorded).length === 0) return false;
  const current = fingerprint(root, Object.keys(recorded));
  return Object.entries(recorded).every(([path, hash]) => hash !== null && current[path] === hash);
}

export function writeStamp(stampPath, inputs) {
  writeFileSync(stampPath, `${JSON.stringify({ inputs }, null, 2)}\n`);
}
