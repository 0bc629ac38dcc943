/**
 * Finds the prebuilt handler bundle (`dist/tasker-handler.zip`) shipped in this package.
 *
 * The package root is found by walking up from this file to the `package.json` of this package (either
 * flavour: cdktf's or CDK Terrain's, which ship the same compiled files),
 * so the same code works from `modules/*.ts` (ts-jest, tsx) and from the compiled
 * `lib/modules/*.js`, and in a user's `node_modules`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CDKTN_PACKAGE_NAME, HandlerBundleNotFoundError, PACKAGE_NAME } from './handler-bundle';

const PACKAGE_NAMES: readonly string[] = [PACKAGE_NAME, CDKTN_PACKAGE_NAME];
export const HANDLER_ZIP = join('dist', 'tasker-handler.zip');

/** The directory holding this package's package.json, searched upwards from `startDir`. */
export function findPackageRoot(startDir: string = __dirname): string {
  let dir = startDir;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name !== undefined && PACKAGE_NAMES.includes(name)) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new HandlerBundleNotFoundError(`no package.json named '${PACKAGE_NAMES.join("' or '")}' above ${startDir}`);
    }
    dir = parent;
  }
}

export interface HandlerBundle {
  /** Absolute path of the zip (TerraformAsset copies it into the stack's output as-is). */
  readonly zipPath: string;
  /** Base64 SHA-256 of the zip, for the function's `source_code_hash`. */
  readonly sha256: string;
}

/** Locates the bundle and its hash; a clear error says how to build it when missing. */
export function locateHandlerBundle(packageRoot: string = findPackageRoot()): HandlerBundle {
  const zipPath = join(packageRoot, HANDLER_ZIP);
  const hashPath = `${zipPath}.sha256`;
  if (!existsSync(zipPath) || !existsSync(hashPath)) {
    throw new HandlerBundleNotFoundError(
      `The tasker's handler bundle ${zipPath} (or its .sha256) is missing: run \`npm run build\` (or \`npm run build:handler\`) in ` +
        `${packageRoot}`,
    );
  }
  const sha256 = readFileSync(hashPath, 'utf8').trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(sha256)) {
    throw new HandlerBundleNotFoundError(`${hashPath} does not hold a base64 SHA-256: rebuild with \`npm run build\``);
  }
  return { zipPath, sha256 };
}
