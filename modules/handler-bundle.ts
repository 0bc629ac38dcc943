/**
 * The names this package ships under and the error raised when its handler bundle is missing: public
 * because users catch the error and the build scripts name the packages. Finding the bundle is
 * `handler-asset.ts` (public to the module builder, not exported by the package).
 */

export const PACKAGE_NAME = 'cdktf-stepfunctions-redshift';
/** The CDK Terrain flavour: the same compiled files with cdktn imports (scripts/build-cdktn.ts). */
export const CDKTN_PACKAGE_NAME = 'cdktn-stepfunctions-redshift';

/** Thrown when the handler bundle has not been built (or was not shipped). */
export class HandlerBundleNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerBundleNotFoundError';
  }
}
