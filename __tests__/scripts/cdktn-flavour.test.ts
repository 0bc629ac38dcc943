import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDKTN_PACKAGE_NAME } from '../../modules/handler-bundle';
import {
  buildCdktnFlavour,
  type BuildFlavourResult,
  CDKTN_ENGINES,
  CDKTN_PEER_DEPENDENCIES,
  CDKTN_TESTED_VERSIONS,
  CdktnFlavourError,
  cdktnManifest,
  filesBelow,
  rewriteModuleSpecifiers,
} from '../../scripts/cdktn-flavour';

const root = join(__dirname, '..', '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('rewriteModuleSpecifiers', () => {
  it('renames cdktf and @cdktf/provider-aws in require, import, export and import() forms, subpaths kept', () => {
    const compiled = [
      'const cdktf_1 = require("cdktf");',
      'const role_1 = require("@cdktf/provider-aws/lib/iam-role");',
      "import { Fn } from 'cdktf';",
      "export { Token } from 'cdktf/lib/tokens';",
      'let t: import("@cdktf/provider-aws/lib/provider").AwsProvider;',
      "import 'cdktf/lib/testing/adapters/jest';",
    ].join('\n');
    const result = rewriteModuleSpecifiers(compiled, 'x.js');
    expect(result.text).toBe(
      [
        'const cdktf_1 = require("cdktn");',
        'const role_1 = require("@cdktn/provider-aws/lib/iam-role");',
        "import { Fn } from 'cdktn';",
        "export { Token } from 'cdktn/lib/tokens';",
        'let t: import("@cdktn/provider-aws/lib/provider").AwsProvider;',
        "import 'cdktn/lib/testing/adapters/jest';",
      ].join('\n'),
    );
    expect(result.renamed).toBe(6);
  });

  it('leaves strings that are not cdktf module specifiers alone', () => {
    const compiled = [
      "const out = process.env.CDKTF_OUTDIR ?? 'cdktf.out';",
      "const name = 'cdktf-stepfunctions-redshift';",
      'const other = require("cdktf-local-exec");',
      'const cfg = require("./cdktf.json");',
      '// see "cdktf" docs',
    ].join('\n');
    expect(rewriteModuleSpecifiers(compiled, 'x.js')).toEqual({ text: compiled, renamed: 0 });
  });

  it('stops with a named error on a cdktf package it has no rename for', () => {
    expect(() => rewriteModuleSpecifiers('require("@cdktf/provider-null/lib/resource")', 'lib/x.js')).toThrow(CdktnFlavourError);
    expect(() => rewriteModuleSpecifiers('require("@cdktf/provider-null/lib/resource")', 'lib/x.js')).toThrow(
      /lib\/x\.js.*@cdktf\/provider-null/,
    );
  });
});

describe('cdktnManifest', () => {
  const manifest = cdktnManifest(rootManifest);

  it('has its own name, description, peers and Node floor, and no development fields', () => {
    expect(manifest.name).toBe(CDKTN_PACKAGE_NAME);
    expect(manifest.engines).toEqual(CDKTN_ENGINES);
    expect(manifest.engines).not.toEqual(rootManifest.engines);
    expect(manifest.description).toMatch(/^CDK Terrain \(cdktn\) construct/);
    expect(manifest.peerDependencies).toEqual(CDKTN_PEER_DEPENDENCIES);
    for (const field of ['scripts', 'devDependencies', 'overrides']) expect(manifest).not.toHaveProperty(field);
  });

  it('keeps every other field of the cdktf manifest (version, files, entry points) as it is', () => {
    const changed = new Set(['name', 'description', 'peerDependencies', 'engines', 'scripts', 'devDependencies', 'overrides', 'private']);
    const kept = Object.keys(rootManifest).filter((field) => !changed.has(field));
    expect(kept).toEqual(expect.arrayContaining(['version', 'main', 'types', 'files']));
    for (const field of kept) expect({ field, value: manifest[field] }).toEqual({ field, value: rootManifest[field] });
  });

  it('pins, in examples/cdktn, the versions the tests install', () => {
    const example = JSON.parse(readFileSync(join(root, 'examples', 'cdktn', 'package.json'), 'utf8'));
    const { 'cdktn-cli': cli, ...runtime } = CDKTN_TESTED_VERSIONS;
    for (const [name, version] of Object.entries(runtime)) expect({ name, version: example.dependencies[name] }).toEqual({ name, version });
    expect(cli).toBe(CDKTN_TESTED_VERSIONS.cdktn);
    expect(Object.keys(example.dependencies).sort()).toEqual([...Object.keys(CDKTN_PEER_DEPENDENCIES), CDKTN_PACKAGE_NAME].sort());
  });
});

describe("buildCdktnFlavour on this checkout's build", () => {
  let scratch: string;
  let outDir: string;
  let result: BuildFlavourResult;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'cdktn-flavour-test-'));
    outDir = join(scratch, 'cdktn');
    result = buildCdktnFlavour({ root, outDir });
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes lib/ and every other shipped entry, plus its own package.json', () => {
    const libFiles = filesBelow(join(root, 'lib'));
    expect(result.files.filter((f) => f.startsWith('lib/'))).toEqual(libFiles.map((f) => `lib/${f}`));
    expect(result.files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/tasker-handler.zip', 'terraform-module/main.tf.json']),
    );
    expect(JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8'))).toEqual(cdktnManifest(rootManifest));
  });

  it('differs from the cdktf build only in renamed imports (drift check: the flavour is the build, renamed)', () => {
    let imports = 0;
    for (const file of result.files.filter((f) => f !== 'package.json')) {
      const cdktf = readFileSync(join(root, file));
      const cdktn = readFileSync(join(outDir, file));
      if (!/\.(js|d\.ts)$/.test(file)) {
        expect({ file, same: cdktf.equals(cdktn) }).toEqual({ file, same: true });
        continue;
      }
      const [before, after] = [cdktf.toString('utf8').split('\n'), cdktn.toString('utf8').split('\n')];
      expect(after.length).toBe(before.length);
      const changed = before.flatMap((line, i) => (line === after[i] ? [] : [[line, after[i]]]));
      for (const [was, is] of changed) expect(is).toBe(was.replace(/(["'])(@?)cdktf(\/provider-aws)?/g, '$1$2cdktn$3'));
      imports += changed.length;
      // Nothing left to rename.
      expect({ file, renamed: rewriteModuleSpecifiers(cdktn.toString('utf8'), file).renamed }).toEqual({ file, renamed: 0 });
    }
    expect(imports).toBeGreaterThan(20);
    expect(result.renamed).toBeGreaterThanOrEqual(imports);
  });

  it('a second build replaces the first', () => {
    writeFileSync(join(outDir, 'stale.txt'), 'from an earlier build');
    buildCdktnFlavour({ root, outDir });
    expect(existsSync(join(outDir, 'stale.txt'))).toBe(false);
  });

  it('refuses to replace a folder that is not a flavour build, and leaves it as it was', () => {
    const other = join(scratch, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), 'user data');
    expect(() => buildCdktnFlavour({ root, outDir: other })).toThrow(CdktnFlavourError);
    expect(readFileSync(join(other, 'keep.txt'), 'utf8')).toBe('user data');
  });

  it('says to build first when the cdktf build is missing', () => {
    const empty = join(scratch, 'unbuilt');
    mkdirSync(empty);
    writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'cdktf-stepfunctions-redshift', files: ['lib/'] }));
    expect(() => buildCdktnFlavour({ root: empty, outDir: join(scratch, 'never') })).toThrow(/npm run build/);
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });
});
