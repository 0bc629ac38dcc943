/**
 * `TaskerCode`: the deployment package of the tasker function(s), as the AWS CDK's `NodejsFunction`
 * takes `code`. The default is the handler zip shipped in this package, added to the stack as a cdktf
 * asset; the Terraform module gives a zip beside its own configuration (`${path.module}/...`) instead.
 * Whatever the source, the zip must hold this package's handler (`dist/tasker-handler.zip`): the
 * construct writes the environment and permissions that handler expects.
 */
import type { TerraformAsset } from 'cdktf';

/**
 * Handler and runtime the code runs with. No NODE_OPTIONS: the zip carries no source map (traces keep
 * function names; decode positions offline with the map shipped beside the zip, README "Handler bundle").
 */
export const TASKER_RUNTIME = { handler: 'index.handler', runtime: 'nodejs22.x' } as const;

export class TaskerCode {
  /**
   * A zip Terraform reads when planning: a path relative to the directory Terraform runs in, or an
   * expression such as `${path.module}/handler.zip`. `sourceCodeHash` (base64 SHA-256 of the zip, or any
   * text that changes with it) makes Terraform update the function when the zip changes.
   */
  public static fromZipFile(filename: string, sourceCodeHash: string): TaskerCode {
    return new TaskerCode(filename, sourceCodeHash);
  }

  /** A cdktf asset of the zip; `sourceCodeHash` defaults to the asset's content hash. */
  public static fromAsset(asset: TerraformAsset, sourceCodeHash: string = asset.assetHash): TaskerCode {
    return new TaskerCode(asset.path, sourceCodeHash);
  }

  private constructor(
    /** The function's `filename`. */
    public readonly filename: string,
    /** The function's `source_code_hash`. */
    public readonly sourceCodeHash: string,
  ) {}
}
