import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const MODULE_URL = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'handler-bundle', 'input-fingerprint.mjs')).href;

/** Calls an export of the ES-module helper in a child `node` (jest here loads CommonJS only). */
function call(name: string, ...args: unknown[]): unknown {
  const script =
    `import * as m from ${JSON.stringify(MODULE_URL)}; ` +
    `process.stdout.write(JSON.stringify(m[${JSON.stringify(name)}](...${JSON.stringify(args)}) ?? null));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('scripts/handler-bundle/input-fingerprint.mjs', () => {
  let root: string;
  const stamp = (): string => join(root, 'stamp.json');
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fingerprint-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;');
    writeFileSync(join(root, 'package-lock.json'), '{}');
    call('writeStamp', stamp(), call('fingerprint', root, ['src/a.ts', 'package-lock.json']));
  });

  it('is up to date while the recorded files keep their contents; stale when a source or the lock file changes or a file is gone', () => {
    expect(call('isUpToDate', root, stamp())).toBe(true);
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 2;');
    expect(call('isUpToDate', root, stamp())).toBe(false);
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;');
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
    expect(call('isUpToDate', root, stamp())).toBe(false);
    writeFileSync(join(root, 'package-lock.json'), '{}');
    expect(call('isUpToDate', root, stamp())).toBe(true);
    rmSync(join(root, 'src', 'a.ts'));
    expect(call('isUpToDate', root, stamp())).toBe(false);
  });

  it('is stale without a stamp or with an unreadable or empty one', () => {
    expect(call('isUpToDate', root, join(root, 'missing.json'))).toBe(false);
    writeFileSync(stamp(), 'not json');
    expect(call('isUpToDate', root, stamp())).toBe(false);
    call('writeStamp', stamp(), {});
    expect(call('isUpToDate', root, stamp())).toBe(false);
  });

  it('records the project inputs of a metafile, not the packages under node_modules', () => {
    expect(
      call('projectInputs', {
        inputs: { 'functions/tasker/index.ts': {}, 'node_modules/@aws-sdk/core/dist-es/index.js': {}, 'scripts/x.mjs': {} },
      }),
    ).toEqual(['functions/tasker/index.ts', 'scripts/x.mjs']);
  });
});
