/**
 * The folder of this package's package.json, found from a file's own folder: the same code runs from the
 * TypeScript sources (`local/…`) and from the compiled package (`lib/local/…`), which sit at different depths.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The package root of the local kit. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);
