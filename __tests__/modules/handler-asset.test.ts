import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CDKTN_PACKAGE_NAME, HandlerBundleNotFoundError, PACKAGE_NAME } from '../../modules/handler-bundle';
import { findPackageRoot, locateHandlerBundle } from '../../modules/handler-asset';

const repoRoot = join(__dirname, '..', '..');

describe('handler asset location', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'handler-asset-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test("finds this package's root from the module folder", () => {
    expect(findPackageRoot()).toBe(repoRoot);
  });

  test("walks up past other packages' package.json files (as from lib/modules or node_modules)", () => {
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: PACKAGE_NAME }));
    const nested = join(scratch, 'lib', 'modules');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(scratch, 'lib', 'package.json'), JSON.stringify({ name: 'something-else' }));
    expect(findPackageRoot(nested)).toBe(scratch);
  });

  test("finds the CDK Terrain flavour's root too (it ships the same compiled files under its own name)", () => {
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: CDKTN_PACKAGE_NAME }));
    const nested = join(scratch, 'lib', 'modules');
    mkdirSync(nested, { recursive: true });
    expect(findPackageRoot(nested)).toBe(scratch);
  });

  test('a folder outside any such package gives a named error', () => {
    // The scratch folder lies inside the repository (TMPDIR is .test-tmp), so start from the root.
    expect(() => findPackageRoot('/')).toThrow(HandlerBundleNotFoundError);
  });

  test('the shipped bundle and its base64 SHA-256 match', () => {
    const bundle = locateHandlerBundle();
    expect(bundle.zipPath).toBe(join(repoRoot, 'dist', 'tasker-handler.zip'));
    expect(bundle.sha256).toBe(createHash('sha256').update(readFileSync(bundle.zipPath)).digest('base64'));
  });

  test('a missing bundle says to run npm run build', () => {
    expect(() => locateHandlerBundle(scratch)).toThrow(HandlerBundleNotFoundError);
    expect(() => locateHandlerBundle(scratch)).toThrow(/run `npm run build`/);
  });

  test('a corrupt hash file is reported', () => {
    mkdirSync(join(scratch, 'dist'));
    writeFileSync(join(scratch, 'dist', 'tasker-handler.zip'), 'zip');
    writeFileSync(join(scratch, 'dist', 'tasker-handler.zip.sha256'), 'not-a-hash\n');
    expect(() => locateHandlerBundle(scratch)).toThrow(/does not hold a base64 SHA-256/);
  });
});
