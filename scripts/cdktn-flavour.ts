/**
 * The CDK Terrain (cdktn) flavour of the package, made from the cdktf build by renaming imports.
 *
 * CDK Terrain is the community fork of CDK for Terraform; its upgrade guide moves a project by renaming
 * the packages and their imports (`cdktf` → `cdktn`, `@cdktf/provider-aws` → `@cdktn/provider-aws`).
 * The flavour does exactly that to the compiled files (`lib/**.js`, `.d.ts`): no source is copied, and
 * every other shipped file (handler zip, Terraform module, README) is copied byte for byte. An import of a
 * cdktf package without a rename here stops the build, so a new dependency cannot slip through unrenamed.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CDKTN_PACKAGE_NAME } from '../modules/handler-bundle';

/** cdktf module → its CDK Terrain counterpart; subpaths (`cdktf/lib/…`, `…/lib/iam-role`) follow. */
export const CDKTN_MODULE_RENAMES: Readonly<Record<string, string>> = {
  cdktf: 'cdktn',
  '@cdktf/provider-aws': '@cdktn/provider-aws',
};

/** The flavour's peer dependencies (cdktn 0.24 wants constructs >=10.6.0 <10.8.0; provider-aws 25.x wants cdktn ^0.24). */
export const CDKTN_PEER_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@cdktn/provider-aws': '25.x',
  cdktn: '0.24.x',
  constructs: '>=10.6.0 <10.8.0',
};

/**
 * The flavour's Node floor: that of the only @cdktn/provider-aws line for the cdktn the registry serves (25.x
 * declares node >= 22.11; 23.x and 24.x want cdktn 0.22 and 0.23, which the registry no longer serves). The
 * construct's own code runs on the cdktf package's floor, but no installable provider does.
 */
export const CDKTN_ENGINES: Readonly<Record<string, string>> = { node: '>=22.11' };

/** The versions the tests install (examples/cdktn/package.json pins the same). */
export const CDKTN_TESTED_VERSIONS: Readonly<Record<string, string>> = {
  '@cdktn/provider-aws': '25.7.0',
  cdktn: '0.24.0',
  'cdktn-cli': '0.24.0',
  constructs: '10.7.2',
};

/** Thrown when the cdktf build cannot become a cdktn flavour (an unrenamed import, a missing build). */
export class CdktnFlavourError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CdktnFlavourError';
  }
}

// A module specifier in compiled output: `require("x")`, `from 'x'`, `import("x")`, `import 'x'`.
const SPECIFIER = /(\brequire\(\s*|\bfrom\s+|\bimport\(\s*|\bimport\s+)(["'])([^"'\n]+)\2/g;
const CDKTF_PACKAGE = /^(cdktf|@cdktf\/[^/]+)(\/.*)?$/;

export interface RewriteResult {
  readonly text: string;
  /** Module specifiers renamed. */
  readonly renamed: number;
}

/** Renames every cdktf module specifier in one compiled file; `file` names it in errors. */
export function rewriteModuleSpecifiers(text: string, file: string): RewriteResult {
  let renamed = 0;
  const out = text.replace(SPECIFIER, (whole, lead: string, quote: string, specifier: string) => {
    const match = CDKTF_PACKAGE.exec(specifier);
    if (!match) return whole;
    const target = CDKTN_MODULE_RENAMES[match[1]];
    if (target === undefined) {
      throw new CdktnFlavourError(`${file}: imports '${specifier}', which has no CDK Terrain counterpart in CDKTN_MODULE_RENAMES`);
    }
    renamed += 1;
    return `${lead}${quote}${target}${match[2] ?? ''}${quote}`;
  });
  return { text: out, renamed };
}

interface Manifest {
  name: string;
  description?: string;
  files?: string[];
  [field: string]: unknown;
}

// Fields of the cdktf manifest that describe how this repository is developed, not the published package.
const DEVELOPMENT_FIELDS = ['scripts', 'devDependencies', 'overrides', 'private'];

/** The flavour's package.json: the cdktf one with its own name, description, peers and engines, without dev fields. */
export function cdktnManifest(cdktf: Manifest): Manifest {
  const manifest: Manifest = { ...cdktf, name: CDKTN_PACKAGE_NAME };
  for (const field of DEVELOPMENT_FIELDS) delete manifest[field];
  manifest.description = (cdktf.description ?? '').replace(/^CDK for Terraform/, 'CDK Terrain (cdktn)');
  manifest.peerDependencies = { ...CDKTN_PEER_DEPENDENCIES };
  manifest.engines = { ...CDKTN_ENGINES };
  return manifest;
}

export interface BuildFlavourOptions {
  /** The package root holding the cdktf build (`package.json`, `lib/`, `dist/`, …). */
  readonly root: string;
  /** Folder the flavour is written to; replaced if it holds an earlier flavour build. */
  readonly outDir: string;
}

export interface BuildFlavourResult {
  /** Files written, relative to `outDir`, sorted. */
  readonly files: readonly string[];
  /** Module specifiers renamed across `lib/`. */
  readonly renamed: number;
}

/**
 * Writes the flavour: its package.json, and every entry of the cdktf manifest's `files` (plus the whole of
 * `lib/`, which the tests run the example app from), with `lib/` renamed and everything else as-is.
 */
export function buildCdktnFlavour(options: BuildFlavourOptions): BuildFlavourResult {
  const cdktf = JSON.parse(readFileSync(join(options.root, 'package.json'), 'utf8')) as Manifest;
  // `lib/` is written whole (renamed); entries below it and `!` exclusions are the packer's business, since
  // the flavour's manifest keeps the same `files`.
  const shipped = (cdktf.files ?? []).filter((entry) => !entry.startsWith('!') && !entry.startsWith('lib/'));
  const entries = [...new Set(['lib/', ...shipped].map((entry) => entry.replace(/\/$/, '')))];
  for (const entry of entries) {
    if (!existsSync(join(options.root, entry))) {
      throw new CdktnFlavourError(`${join(options.root, entry)} is missing: run \`npm run build\` first`);
    }
  }
  clearOutputDir(options.outDir);
  writeFileSync(join(options.outDir, 'package.json'), `${JSON.stringify(cdktnManifest(cdktf), null, 2)}\n`);
  let renamed = 0;
  for (const entry of entries) {
    const from = join(options.root, entry);
    const to = join(options.outDir, entry);
    if (entry !== 'lib') {
      mkdirSync(dirname(to), { recursive: true });
      if (statSync(from).isDirectory()) cpSync(from, to, { recursive: true });
      else copyFileSync(from, to);
      continue;
    }
    for (const file of filesBelow(from)) {
      mkdirSync(dirname(join(to, file)), { recursive: true });
      if (/\.(js|d\.ts)$/.test(file)) {
        const result = rewriteModuleSpecifiers(readFileSync(join(from, file), 'utf8'), join(entry, file));
        writeFileSync(join(to, file), result.text);
        renamed += result.renamed;
      } else {
        copyFileSync(join(from, file), join(to, file));
      }
    }
  }
  return { files: filesBelow(options.outDir), renamed };
}

/** Every file below `dir`, as sorted paths relative to it. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
}

/** Empties `outDir` when it is absent, empty or an earlier flavour build; refuses anything else. */
function clearOutputDir(outDir: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    const manifest = join(outDir, 'package.json');
    const name = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as Manifest).name : undefined;
    if (name !== CDKTN_PACKAGE_NAME) {
      throw new CdktnFlavourError(`${outDir} is not empty and is no earlier ${CDKTN_PACKAGE_NAME} build: refusing to replace it`);
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
}
