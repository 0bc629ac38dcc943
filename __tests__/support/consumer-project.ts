/**
 * A user's project on one line of the compatibility matrix (__tests__/compat/): the packed package (cdktf, or
 * the cdktn flavour) installed with a plain `npm install` into a fresh folder outside the checkout, next to
 * the CDK and provider packages the line names, run on the line's Node.
 *
 * The project holds the README's quick start and the SQL-resources example (examples/sql-resources/), with
 * their imports pointed at the installed package (and renamed to cdktn for the flavour), so synth and `tsc`
 * see exactly what a user's code sees. `npm test` builds `lib/` first; the packing here reuses that build.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CDKTN_PACKAGE_NAME, PACKAGE_NAME } from '../../modules/handler-bundle';
import { buildCdktnFlavour, rewriteModuleSpecifiers } from '../../scripts/cdktn-flavour';

const execFileAsync = promisify(execFile);
export const REPO_ROOT = join(__dirname, '..', '..');
/** Outside the checkout (the jest setup points TMPDIR into it): nothing may resolve from the repository's node_modules. */
export const SYSTEM_TMP = existsSync('/tmp') ? '/tmp' : tmpdir();
/** The consumer's own tools, at the repository's versions. */
const CONSUMER_DEV_DEPENDENCIES = ['typescript@5.9.3', 'tsx@4.23.15', '@types/node@22.20.5'];

export type Flavour = 'cdktf' | 'cdktn';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; on a non-zero exit, throws with the command and both outputs (so a test says why). */
export async function runCommand(command: string, args: string[], options: ExecFileOptions & { cwd: string }): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', ...options });
    return { stdout: String(stdout), stderr: String(stderr) };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd}) exited ${String(failed.code)}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

/** Folder below `dest` where packPackage('cdktn', dest) builds the flavour before packing it. */
export const CDKTN_BUILD_DIR = 'cdktn-build';

/**
 * Packs this checkout's build as users get it, into `dest`: `npm pack` of the repository (cdktf), or of the
 * cdktn flavour built from it into `dest/cdktn-build` (scripts/cdktn-flavour.ts). Returns the tarball's path.
 */
export async function packPackage(flavour: Flavour, dest: string): Promise<string> {
  if (!existsSync(join(REPO_ROOT, 'lib', 'modules', 'index.js'))) throw new Error('lib/ is missing: run `npm run build` first');
  let source = REPO_ROOT;
  if (flavour === 'cdktn') {
    source = join(dest, CDKTN_BUILD_DIR);
    buildCdktnFlavour({ root: REPO_ROOT, outDir: source });
  }
  // The build already ran: pack exactly what `files` lists, without the prepack rebuild.
  const { stdout } = await runCommand('npm', ['pack', source, '--ignore-scripts', '--json', '--pack-destination', dest], { cwd: dest });
  return join(dest, (JSON.parse(stdout) as { filename: string }[])[0].filename);
}

/** The README's `npm install …` line for a flavour (the first after its quick-start heading). */
export function readmeInstallLine(flavour: Flavour): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const heading = flavour === 'cdktf' ? '## Quick start' : '### With CDK Terrain (cdktn)';
  const section = readme.slice(readme.indexOf(heading));
  const line = /^npm install (\S+ .*)$/m.exec(section)?.[1];
  if (!line) throw new Error(`README: no npm install line after ${heading}`);
  return [...line.matchAll(/"([^"]+)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** The first ```ts block after `heading` in the README. */
export function readmeTsBlock(heading: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)));
  if (!block) throw new Error(`README: no ts block after ${heading}`);
  return block[1];
}

/** Points a repository source at the installed package, and renames its CDK imports for the flavour. */
export function asConsumerSource(source: string, flavour: Flavour, file: string): string {
  const packageName = flavour === 'cdktf' ? PACKAGE_NAME : CDKTN_PACKAGE_NAME;
  const pointed = source
    .replace(/(["'])(\.\.\/)+modules\/[\w/-]+\1/g, `'${packageName}'`)
    .replace(/(["'])\.\.\/example-stack-base\1/g, "'./example-stack-base'");
  return flavour === 'cdktf' ? pointed : rewriteModuleSpecifiers(pointed, file).text;
}

/** The two programs the matrix synthesises, as files of the consumer project. */
export function consumerSources(flavour: Flavour): Record<string, string> {
  // The cdktn section of the README shows the quick start as a diff of its imports; examples/cdktn/main.ts is the
  // whole renamed file (__tests__/examples/cdktn/readme.test.ts holds it equal to the README's quick start).
  const quickStart =
    flavour === 'cdktf' ? readmeTsBlock('## Quick start') : readFileSync(join(REPO_ROOT, 'examples', 'cdktn', 'main.ts'), 'utf8');
  const files: Record<string, string> = { 'quick-start.ts': quickStart };
  for (const [target, source] of [
    ['sql/stack.ts', 'examples/sql-resources/stack.ts'],
    ['sql/definitions.ts', 'examples/sql-resources/definitions.ts'],
    ['sql/example-stack-base.ts', 'examples/example-stack-base.ts'],
  ] as const) {
    files[target] = asConsumerSource(readFileSync(join(REPO_ROOT, source), 'utf8'), flavour, target);
  }
  files['sql/app.ts'] = asConsumerSource(
    [
      "import { App } from 'cdktf';",
      "import { SqlResourcesExampleStack } from './stack';",
      '',
      'const app = new App();',
      "new SqlResourcesExampleStack(app, 'sql-resources-example');",
      'app.synth();',
      '',
    ].join('\n'),
    flavour,
    'sql/app.ts',
  );
  return files;
}

export interface ConsumerLine {
  readonly flavour: Flavour;
  /** What is installed next to the tarball, as a user types it (`cdktf@0.21.x`, `@cdktf/provider-aws@21.x`, …). */
  readonly packages: readonly string[];
  /** Folder of the `node` (and `npm`) the project is installed and run with. */
  readonly nodeBinDir: string;
}

export interface ConsumerProject {
  readonly dir: string;
  /** Everything `npm install` printed. */
  readonly installOutput: string;
  /** `node --version` of the line's Node. */
  readonly nodeVersion: string;
  /** Runs a command in the project with the line's Node first on PATH. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** The version of a package installed in the project. */
  installed(name: string): string;
}

/** The consumer project's tsconfig: strict, as a user's project would be, type-checking only. */
const CONSUMER_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'commonjs',
  moduleResolution: 'node',
  lib: ['ES2022'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/** A fresh project with the tarball and the line's packages installed by a plain `npm install`. */
export async function installConsumerProject(line: ConsumerLine, tarball: string): Promise<ConsumerProject> {
  const dir = mkdtempSync(join(SYSTEM_TMP, `sfnrs-consumer-${line.flavour}-`));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2)}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: CONSUMER_COMPILER_OPTIONS, include: ['**/*.ts'], exclude: ['node_modules'] }, null, 2)}\n`,
  );
  for (const [file, text] of Object.entries(consumerSources(line.flavour))) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const env = { ...process.env, PATH: [line.nodeBinDir, process.env.PATH].join(':') };
  const run = (command: string, args: string[], extra: Record<string, string> = {}): Promise<CommandResult> =>
    runCommand(command, args, { cwd: dir, env: { ...env, ...extra } });
  // No --legacy-peer-deps, no --force: npm's peer checks are part of what the line tests.
  const flags = ['--no-audit', '--no-fund', '--prefer-offline'];
  const install = await run('npm', ['install', tarball, ...line.packages, ...flags]);
  const devInstall = await run('npm', ['install', '--save-dev', ...CONSUMER_DEV_DEPENDENCIES, ...flags]);
  const nodeVersion = (await run('node', ['--version'])).stdout.trim();
  return {
    dir,
    installOutput: [install.stdout, install.stderr, devInstall.stdout, devInstall.stderr].join('\n'),
    nodeVersion,
    run,
    installed: (name) => (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version,
  };
}

/** The stack folders a synth wrote under `<dir>/cdktf.out/stacks`. */
export function synthesizedStacks(dir: string): string[] {
  const stacks = join(dir, 'cdktf.out', 'stacks');
  return existsSync(stacks) ? readdirSync(stacks).sort() : [];
}

/** The package's own entry points, type-checked against a consumer project's installed bindings. */
const REPOSITORY_SOURCES = ['modules/index.ts', 'examples/app.ts', 'module-builder/build-module.ts'];

/**
 * Writes a tsconfig at `file` that type-checks this repository's sources with `cdktf`, the provider and
 * `constructs` resolved from `nodeModules` (a consumer project's): `cdktf` maps to `runtime` (`cdktf` or
 * `cdktn`) and `@cdktf/provider-aws` to `provider`, so the program holds no binding of this checkout.
 */
export function writeRepositorySourcesTsconfig(file: string, nodeModules: string, runtime: string, provider: string): void {
  const from = (path: string): string[] => [join(nodeModules, path)];
  const compilerOptions = {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    lib: ['ES2022'],
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
    strict: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
    paths: {
      cdktf: from(runtime),
      'cdktf/*': from(`${runtime}/*`),
      '@cdktf/provider-aws/*': from(`${provider}/*`),
      constructs: from('constructs'),
    },
  };
  writeFileSync(file, JSON.stringify({ compilerOptions, files: REPOSITORY_SOURCES.map((source) => join(REPO_ROOT, source)) }));
}
