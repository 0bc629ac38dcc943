/**
 * The local kit's heavy dependencies are optional peer dependencies of the package (a user who only
 * synthesises installs none of them). This names the missing ones, with the versions the package accepts,
 * before anything fails deep inside with "Cannot find module".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './package-root';

/** Needed as soon as `cdktf-stepfunctions-redshift/local` is imported. */
export const LOCAL_KIT_PACKAGES = ['aws-local-stepfunctions', 'dynalite', '@aws-sdk/client-dynamodb', 'pg'] as const;
/** Needed to run the SQL on embedded PostgreSQL (not with a `connectionString`). */
export const PGLITE_PACKAGE = '@electric-sql/pglite';

/** Thrown when packages the local kit needs are not installed; `missing` names them. */
export class LocalKitDependencyError extends Error {
  readonly missing: readonly string[];

  constructor(missing: readonly string[], ranges: Readonly<Record<string, string>>, hint = '') {
    const specs = missing.map((name) => (ranges[name] ? `${name}@"${ranges[name]}"` : name));
    super(
      `cdktf-stepfunctions-redshift/local needs ${missing.join(', ')}, not installed${hint}. ` +
        `Install ${missing.length === 1 ? 'it' : 'them'} as dev dependencies: npm install --save-dev ${specs.join(' ')}`,
    );
    this.name = 'LocalKitDependencyError';
    this.missing = missing;
  }
}

/** Throws `LocalKitDependencyError` naming every package of `names` that cannot be resolved from here. */
export function requirePeers(names: readonly string[], hint = ''): void {
  const missing = names.filter((name) => !isInstalled(name));
  if (missing.length > 0) throw new LocalKitDependencyError(missing, peerRanges(), hint);
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (err) {
    // Installed but with no entry point for `require` still counts as installed.
    return (err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND';
  }
}

/** The version ranges the package's own `peerDependencies` accept. */
function peerRanges(): Record<string, string> {
  try {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies ?? {};
  } catch {
    return {};
  }
}
