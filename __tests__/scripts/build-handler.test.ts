import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function buildInto(dir: string, extraEnv: Record<string, string> = {}): Buffer {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-handler.mjs')], {
    env: { ...process.env, HANDLER_DIST_DIR: dir, ...extraEnv },
    stdio: 'pipe',
  });
  return readFileSync(join(dir, 'tasker-handler.zip'));
}

describe('scripts/build-handler.mjs', () => {
  it('gives byte-identical zips across two clean builds, whatever the time zone', () => {
    const first = buildInto(mkdtempSync(join(tmpdir(), 'bundle-a-')), { TZ: 'UTC' });
    const second = buildInto(mkdtempSync(join(tmpdir(), 'bundle-b-')), { TZ: 'Pacific/Auckland' });
    expect(first.length).toBeGreaterThan(0);
    expect(createHash('sha256').update(second).digest('hex')).toBe(createHash('sha256').update(first).digest('hex'));
  });

  it('writes the base64 SHA-256 of the zip beside it, as Lambda source_code_hash expects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-c-'));
    const zip = buildInto(dir);
    const recorded = readFileSync(join(dir, 'tasker-handler.zip.sha256'), 'utf8').trim();
    expect(recorded).toBe(createHash('sha256').update(zip).digest('base64'));
  });

  it('bundles a CommonJS module that exports `handler`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-d-'));
    buildInto(dir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, 'handler', 'index.js')) as { handler?: unknown };
    expect(typeof mod.handler).toBe('function');
  });
});
