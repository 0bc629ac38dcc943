import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listZipEntries } from '../../local/lambda/zip-reader';

const root = join(__dirname, '..', '..');

/** Runs the build script into `dir`; returns what it printed (stderr). */
function runBuild(dir: string, extraEnv: Record<string, string> = {}, args: string[] = []): string {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'build-handler.mjs'), ...args], {
    env: { ...process.env, HANDLER_DIST_DIR: dir, ...extraEnv },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`build-handler.mjs exited with ${run.status}: ${run.stderr}`);
  return run.stderr;
}

function buildInto(dir: string, extraEnv: Record<string, string> = {}): Buffer {
  runBuild(dir, extraEnv);
  return readFileSync(join(dir, 'tasker-handler.zip'));
}

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('scripts/build-handler.mjs', () => {
  it('gives byte-identical zips across two clean builds, whatever the time zone', () => {
    const first = buildInto(mkdtempSync(join(tmpdir(), 'bundle-a-')), { TZ: 'UTC' });
    const second = buildInto(mkdtempSync(join(tmpdir(), 'bundle-b-')), { TZ: 'Pacific/Auckland' });
    expect(first.length).toBeGreaterThan(0);
    expect(createHash('sha256').update(second).digest('hex')).toBe(createHash('sha256').update(first).digest('hex'));
  });

  describe('one build', () => {
    let dir: string;
    let zip: Buffer;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'bundle-c-'));
      zip = buildInto(dir);
    });

    it('writes the base64 SHA-256 of the zip beside it, as Lambda source_code_hash expects', () => {
      const recorded = readFileSync(join(dir, 'tasker-handler.zip.sha256'), 'utf8').trim();
      expect(recorded).toBe(createHash('sha256').update(zip).digest('base64'));
    });

    it('bundles a CommonJS module that exports `handler`', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(dir, 'handler', 'index.js')) as { handler?: unknown };
      expect(typeof mod.handler).toBe('function');
    });

    it('ships only index.js; the source map sits beside the zip, unlinked, with sources that resolve from there', () => {
      expect(listZipEntries(join(dir, 'tasker-handler.zip'))).toEqual(['index.js']);
      // No sourceMappingURL: nothing at run time looks for a map the zip does not carry.
      expect(readFileSync(join(dir, 'handler', 'index.js'), 'utf8')).not.toMatch(/sourceMappingURL/);
      const map = JSON.parse(readFileSync(join(dir, 'tasker-handler.index.js.map'), 'utf8')) as { version: number; sources: string[] };
      expect(map.version).toBe(3);
      const handlerSource = map.sources.find((source) => source.endsWith('functions/tasker/index.ts'));
      expect(handlerSource).toBeDefined();
      // The test's dist folder is elsewhere: the relative path must still lead to the handler's source from it.
      expect(existsSync(join(dir, handlerSource!))).toBe(true);
    });

    it(
      'keeps function names in stack traces, and scripts/map-stack-trace.mjs maps their positions to the TypeScript line that ' + 'threw',
      () => {
        const script =
          `require(${JSON.stringify(join(dir, 'handler', 'index.js'))}).handler({ action: 'executeStatement', sqlStatement: ` +
          `'select 1' }, {})
        .catch((error) => process.stdout.write(error.stack));`;
        const trace = execFileSync(process.execPath, ['-e', script], {
          env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
          encoding: 'utf8',
        });
        expect(trace).toMatch(/at readConfig \(.*index\.js:\d+:\d+\)/);
        const mapped = execFileSync(
          process.execPath,
          [join(root, 'scripts', 'map-stack-trace.mjs'), '--map', join(dir, 'tasker-handler.index.js.map')],
          {
            input: trace,
            cwd: root,
            encoding: 'utf8',
          },
        );
        const at = /at readTarget \((functions\/tasker\/platform\/config\.ts):(\d+):\d+\)/.exec(mapped);
        expect(at).not.toBeNull();
        const sourceLine = readFileSync(join(root, at![1]), 'utf8').split('\n')[Number(at![2]) - 1];
        expect(sourceLine).toContain('throw new ConfigurationError');
      },
    );

    describe('what the esbuild metafile says went into the bundle', () => {
      let bundled: string[];
      beforeAll(() => {
        const meta = JSON.parse(readFileSync(join(dir, 'handler', 'meta.json'), 'utf8')) as Metafile;
        const output =
          meta.outputs['dist/handler/index.js'] ?? Object.entries(meta.outputs).find(([name]) => name.endsWith('/handler/index.js'))?.[1];
        expect(output).toBeDefined();
        bundled = Object.entries(output!.inputs)
          .filter(([, input]) => input.bytesInOutput > 0)
          .map(([path]) => path);
      });

      it('holds the handler and the SDK clients it uses', () => {
        expect(bundled).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^functions\/tasker\/index\.ts$/),
            expect.stringMatching(/@aws-sdk\/client-sfn\//),
          ]),
        );
      });

      it('holds no browser-only code (bowser, util-user-agent-browser)', () => {
        expect(bundled.filter((path) => /\/bowser\/|util-user-agent-browser/.test(path))).toEqual([]);
      });

      it('holds only the environment and container-endpoint credential providers', () => {
        const providers = bundled.filter((path) =>
          /credential-provider-|credential-providers\/|token-providers\/|nested-clients\//.test(path),
        );
        expect(providers.filter((path) => !/@aws-sdk\/credential-provider-(env|http)\//.test(path))).toEqual([]);
        expect(providers.some((path) => /credential-provider-env\//.test(path))).toBe(true);
        expect(bundled).toContain('scripts/handler-bundle/lambda-credentials.mjs');
      });

      it('leaves no dynamic import() in the bundle (it stays CommonJS and loads in a vm context, as under jest)', () => {
        expect(readFileSync(join(dir, 'handler', 'index.js'), 'utf8')).not.toMatch(/\bimport\(/);
      });

      it('takes the SDK from its ES-module builds: no CommonJS build of @aws-sdk/core, @smithy/core or a client', () => {
        expect(bundled.filter((path) => /node_modules\/@(aws-sdk|smithy)\/[^/]+\/dist-cjs\//.test(path))).toEqual([]);
        expect(bundled.some((path) => /@aws-sdk\/core\/dist-es\/submodules\//.test(path))).toBe(true);
      });
    });

    it('rebuilds nothing when the sources and lock file are unchanged, and rebuilds when a recorded input changed', () => {
      const zipPath = join(dir, 'tasker-handler.zip');
      const builtAt = statSync(zipPath).mtimeMs;
      expect(runBuild(dir)).toMatch(/up to date/);
      expect(statSync(zipPath).mtimeMs).toBe(builtAt);
      // Pretend the handler's entry file had other contents at the last build.
      const stampPath = join(dir, 'handler', 'build-inputs.json');
      const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { inputs: Record<string, string> };
      expect(Object.keys(stamp.inputs)).toEqual(
        expect.arrayContaining(['functions/tasker/index.ts', 'functions/shared/contract.ts', 'package-lock.json']),
      );
      writeFileSync(stampPath, JSON.stringify({ inputs: { ...stamp.inputs, 'functions/tasker/index.ts': '0'.repeat(64) } }));
      expect(runBuild(dir)).toMatch(/handler bundle: \d+ B raw/);
      expect(readFileSync(zipPath).equals(zip)).toBe(true);
      expect(runBuild(dir, {}, ['--force'])).toMatch(/handler bundle: \d+ B raw/);
    });
  });
});
