/**
 * What an unbundled deployment of the handler would have to ship: the npm packages the bundle draws code
 * from (read from its source map's `sources`), each as the whole folder `npm install` puts in
 * node_modules. The bundle ships only the code it uses, once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/** Package name → its folder, for every source under a node_modules folder. */
export function packagesFromSources(sources: readonly string[], mapDir: string): Map<string, string> {
  const packages = new Map<string, string>();
  for (const source of sources) {
    const path = resolve(mapDir, source);
    const parts = path.split(sep);
    const index = parts.lastIndexOf('node_modules');
    if (index < 0 || index + 1 >= parts.length) continue;
    const scoped = parts[index + 1].startsWith('@');
    const nameParts = parts.slice(index + 1, index + (scoped ? 3 : 2));
    const name = nameParts.join('/');
    if (!packages.has(name)) packages.set(name, parts.slice(0, index + 1 + nameParts.length).join(sep));
  }
  return packages;
}

/** Bytes of every file below `dir` (symbolic links not followed). */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

export interface ShippedPackages {
  packages: number;
  bytes: number;
}

/** The packages behind `bundlePath`'s source map (`<bundle>.map`) and their installed size. */
export function unbundledPackages(bundlePath: string): ShippedPackages {
  const mapPath = `${bundlePath}.map`;
  const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[] };
  const packages = packagesFromSources(map.sources, dirname(mapPath));
  let bytes = 0;
  for (const dir of packages.values()) bytes += directoryBytes(dir);
  return { packages: packages.size, bytes };
}
