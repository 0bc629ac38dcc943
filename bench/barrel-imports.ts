/**
 * Makes the "barrel" variant of the compiled example app: every deep import of a provider class,
 * `require("@cdktf/provider-aws/lib/lambda-function")`, becomes the same namespace taken from the
 * package's barrel, `require("@cdktf/provider-aws").lambdaFunction`. The barrel's `lib/index.js` says
 * which namespace each folder is exported as (`exports.lambdaFunction = require("./lambda-function")`),
 * so the mapping is read from it, not guessed. Everything else stays byte for byte, so the two variants
 * differ only in what they load.
 */

export const PROVIDER_PACKAGE = '@cdktf/provider-aws';

/** Thrown when a deep import has no namespace in the barrel (the rewrite would change behaviour). */
export class BarrelRewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BarrelRewriteError';
  }
}

/** Folder name → namespace, read from the barrel's compiled `lib/index.js`. */
export function barrelNamespaces(barrelIndexJs: string): Map<string, string> {
  const namespaces = new Map<string, string>();
  for (const match of barrelIndexJs.matchAll(/exports\.([A-Za-z_$][\w$]*)\s*=\s*require\(\s*["']\.\/([\w.-]+)["']\s*\)/g)) {
    namespaces.set(match[2], match[1]);
  }
  return namespaces;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `source` with each deep provider require turned into the barrel namespace; and how many were turned. */
export function rewriteToBarrel(
  source: string,
  namespaces: ReadonlyMap<string, string>,
  packageName = PROVIDER_PACKAGE,
): { code: string; rewritten: number } {
  const deep = new RegExp(`require\\(\\s*(["'])${escapeRegExp(packageName)}/lib/([\\w.-]+)(?:/index(?:\\.js)?)?\\1\\s*\\)`, 'g');
  let rewritten = 0;
  const code = source.replace(deep, (_whole, quote: string, folder: string) => {
    const namespace = namespaces.get(folder);
    if (namespace === undefined) throw new BarrelRewriteError(`${packageName}/lib/${folder} is not exported by the barrel`);
    rewritten++;
    return `require(${quote}${packageName}${quote}).${namespace}`;
  });
  return { code, rewritten };
}
