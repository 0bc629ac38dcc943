/**
 * The package as a user gets it: `npm pack`, the tarball installed into a fresh folder outside the checkout
 * (so nothing resolves from the repository's node_modules) together with examples/local-testing, whose own
 * type check and jest test then run there: `cdktf-stepfunctions-redshift/local` runs the example's state
 * machine to SUCCEEDED and to a caught FAILED, on a throwaway PostgreSQL server when one can be started here
 * (embedded PGlite otherwise). Installs with `--prefer-offline`: the registry packages come from the npm cache
 * that `npm ci` filled.
 *
 * `npm test` builds `lib/` first; run alone, this rebuilds `lib/` when a source is newer.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureHandlerZip } from '../../../local/lambda/handler-bundle';
import { postgresUnavailableReason, startThrowawayPostgres, type ThrowawayPostgres } from '../../local/redshift-data/throwaway-postgres';

const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'local-testing');
/** Outside the checkout (the jest setup points TMPDIR into it): Node must not find the repository's node_modules. */
const SYSTEM_TMP = existsSync('/tmp') ? '/tmp' : tmpdir();
const MINUTES = 60_000;

let work: string;
let app: string;
let tarball: string;
let postgres: ThrowawayPostgres | undefined;

/** Runs a command in `cwd`; fails the test with its output when it exits non-zero. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Newest modification time of the TypeScript sources `lib/` is built from. */
function newestSourceMs(): number {
  const roots = ['modules', 'local', join('functions', 'shared')];
  let newest = 0;
  for (const root of roots) {
    for (const name of readdirSync(join(ROOT, root), { recursive: true }) as string[]) {
      if (name.endsWith('.ts')) newest = Math.max(newest, statSync(join(ROOT, root, name)).mtimeMs);
    }
  }
  return newest;
}

/** `lib/` as `npm run build` makes it, rebuilt only when missing or older than the sources. */
function ensureLib(): void {
  const entry = join(ROOT, 'lib', 'local', 'index.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSourceMs()) return;
  rmSync(join(ROOT, 'lib'), { recursive: true, force: true });
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], ROOT);
}

beforeAll(() => {
  ensureHandlerZip();
  ensureLib();
  work = mkdtempSync(join(SYSTEM_TMP, 'sfnrs-install-'));
  // The build already ran: pack exactly what `files` lists, without the prepack rebuild.
  run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT);
  tarball = readdirSync(work).find((name) => name.endsWith('.tgz')) as string;
  app = join(work, 'app');
  cpSync(EXAMPLE, app, { recursive: true, filter: (path) => !/node_modules|cdktf\.out|package-lock\.json/.test(relative(EXAMPLE, path)) });
  // The example depends on the checkout (`file:../..`); a user's project depends on the published package: the tarball here.
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  manifest.dependencies['cdktf-stepfunctions-redshift'] = `file:../${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
}, 15 * MINUTES);

afterAll(async () => {
  await postgres?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed into a fresh project', () => {
  it('ships what users import and nothing of the repository’s own (examples, handler sources, module builder, app, maps)', () => {
    const files = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const shipped of [
      'lib/modules/index.js',
      'lib/modules/index.d.ts',
      'lib/local/index.js',
      'lib/local/index.d.ts',
      'lib/local/redshift-data/pglite-worker.js',
      'dist/tasker-handler.zip',
      'terraform-module/main.tf.json',
    ]) {
      expect(files).toContain(shipped);
    }
    // The handler's source map ships beside its zip on purpose (decoding stack traces offline); lib/ has none.
    expect(
      files.filter(
        (f) => /^lib\/(examples|main\.|functions\/tasker|modules\/terraform-module|local\/demo)/.test(f) || /^lib\/.*\.map$/.test(f),
      ),
    ).toEqual([]);
    expect(files).toContain('dist/tasker-handler.index.js.map');
  });

  it(
    'type-checks the example app and test against the installed types (root and /local), declaration files included',
    () => {
      // skipLibCheck off: the published .d.ts must resolve every import with only the documented packages installed.
      run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--skipLibCheck', 'false'], app);
    },
    5 * MINUTES,
  );

  it(
    'runs the example’s own jest test: its state machine to SUCCEEDED and to a caught FAILED, on PostgreSQL',
    async () => {
      const unavailable = postgresUnavailableReason();
      if (unavailable) console.warn(`No PostgreSQL server here (${unavailable}): the example runs on embedded PGlite.`);
      else postgres = await startThrowawayPostgres();
      const env = { ...process.env, LOCAL_REDSHIFT_PG_URL: postgres?.connectionString ?? '' };
      const report = join(work, 'jest-report.json');
      run(process.execPath, [join(app, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${report}`], app, env);
      const results = JSON.parse(readFileSync(report, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        testResults: { assertionResults: { title: string; status: string }[] }[];
      };
      expect(results.numFailedTests).toBe(0);
      expect(results.testResults.flatMap((file) => file.assertionResults.map((test) => [test.title, test.status]))).toEqual([
        ['loads and aggregates a day: SUCCEEDED', 'passed'],
        ['a failing statement is caught: FAILED with the state machine error, nothing half-loaded', 'passed'],
      ]);
      if (postgres) {
        // The rows are on the server the test was given, not in an embedded database.
        const check = run(
          process.execPath,
          [
            '-e',
            `const {Client}=require('pg');const c=new ` +
              `Client(${JSON.stringify(postgres.connectionString)});c.connect().then(()=>c.query('select count(*)::int n from ` +
              `daily_totals')).then(r=>{console.log(r.rows[0].n);return c.end()})`,
          ],
          app,
        );
        expect(check.stdout.trim()).toBe('2');
      }
    },
    10 * MINUTES,
  );

  it('without the local kit’s peers, importing /local names what to install; the root import does not need it', () => {
    const dynalite = join(app, 'node_modules', 'dynalite');
    const aside = join(app, 'node_modules', '.dynalite-aside');
    renameSync(dynalite, aside);
    try {
      const local = spawnSync(process.execPath, ['-e', "require('cdktf-stepfunctions-redshift/local')"], { cwd: app, encoding: 'utf8' });
      expect(local.status).not.toBe(0);
      expect(local.stderr).toContain('LocalKitDependencyError');
      expect(local.stderr).toContain('npm install --save-dev dynalite@"^4.0.0"');
      const root = spawnSync(
        process.execPath,
        ['-e', "const p = require('cdktf-stepfunctions-redshift'); if (typeof p.SfnRedshiftTasker !== 'function') process.exit(3)"],
        { cwd: app, encoding: 'utf8' },
      );
      expect(root.stderr).toBe('');
      expect(root.status).toBe(0);
    } finally {
      renameSync(aside, dynalite);
    }
  });
});
