import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { directoryBytes, packagesFromSources, unbundledPackages } from '../../bench/package-size';

describe('bench/package-size', () => {
  it('finds each package once, scoped or not, nested node_modules included; skips project sources', () => {
    const packages = packagesFromSources(
      [
        '../../node_modules/@aws-sdk/core/dist-es/a.js',
        '../../node_modules/@aws-sdk/core/dist-es/b.js',
        '../../node_modules/valibot/dist/index.js',
        '../../node_modules/@smithy/x/node_modules/tslib/tslib.es6.mjs',
        '../../functions/tasker/index.ts',
      ],
      '/repo/dist/handler',
    );
    expect([...packages]).toEqual([
      ['@aws-sdk/core', '/repo/node_modules/@aws-sdk/core'],
      ['valibot', '/repo/node_modules/valibot'],
      ['tslib', '/repo/node_modules/@smithy/x/node_modules/tslib'],
    ]);
  });

  describe('on files', () => {
    let root: string;
    beforeEach(() => {
      mkdirSync(join(__dirname, '..', '..', '.test-tmp'), { recursive: true });
      root = mkdtempSync(join(__dirname, '..', '..', '.test-tmp', 'bench-pkg-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('sums the installed folders of the packages a bundle’s source map names', () => {
      mkdirSync(join(root, 'node_modules', 'left-pad', 'lib'), { recursive: true });
      writeFileSync(join(root, 'node_modules', 'left-pad', 'lib', 'index.js'), 'x'.repeat(1000));
      writeFileSync(join(root, 'node_modules', 'left-pad', 'package.json'), 'y'.repeat(200));
      mkdirSync(join(root, 'node_modules', 'unused'), { recursive: true });
      writeFileSync(join(root, 'node_modules', 'unused', 'index.js'), 'z'.repeat(5000));
      mkdirSync(join(root, 'dist'), { recursive: true });
      writeFileSync(join(root, 'dist', 'index.js'), '');
      writeFileSync(
        join(root, 'dist', 'index.js.map'),
        JSON.stringify({ version: 3, sources: ['../node_modules/left-pad/lib/index.js', '../src/a.ts'] }),
      );
      expect(directoryBytes(join(root, 'node_modules', 'left-pad'))).toBe(1200);
      expect(unbundledPackages(join(root, 'dist', 'index.js'))).toEqual({ packages: 1, bytes: 1200 });
    });
  });
});
