/**
 * The module's variants: one synthesised configuration per combination of the construct's synth-time
 * choices that the module's inputs decide.
 *
 * The construct decides at synth time which resources exist and how its IAM policy reads (a cluster
 * or a workgroup; temporary credentials, IAM identity or a secret; a key it creates or one it is
 * given). A Terraform input is only known at plan time, so the module carries every variant as a
 * nested module and turns on exactly one with `count`, chosen from the inputs (see `variantSelector`).
 */

/** How the function reaches the database. */
export type TargetShape = 'cluster-db-user' | 'cluster-secret' | 'workgroup-iam' | 'workgroup-secret';
/** Where the KMS key comes from. */
export type KeyShape = 'module-key' | 'own-key';

export interface ModuleVariant {
  readonly target: TargetShape;
  readonly key: KeyShape;
}

export const TARGET_SHAPES: readonly TargetShape[] = ['cluster-db-user', 'cluster-secret', 'workgroup-iam', 'workgroup-secret'];
export const KEY_SHAPES: readonly KeyShape[] = ['module-key', 'own-key'];

/** Every variant, in a fixed order (the order of the module blocks in the module). */
export const MODULE_VARIANTS: readonly ModuleVariant[] = TARGET_SHAPES.flatMap((target) => KEY_SHAPES.map((key) => ({ target, key })));

/** `cluster-db-user.module-key`: the value `local.variant` takes when this variant is on. */
export function variantName(variant: ModuleVariant): string {
  return `${variant.target}.${variant.key}`;
}

/** Folder of the variant inside the module, relative to the module root. */
export function variantFolder(variant: ModuleVariant): string {
  return `variants/${variantName(variant)}`;
}

/** Name of the variant's `module` block (a Terraform identifier). */
export function variantBlockName(variant: ModuleVariant): string {
  return `tasker_${variantName(variant).replace(/[.-]/g, '_')}`;
}

/** The module inputs a variant takes, besides the ones every variant takes. */
export function shapeInputsOf(variant: ModuleVariant): string[] {
  const byTarget: Record<TargetShape, string[]> = {
    'cluster-db-user': ['cluster_identifier', 'db_user'],
    'cluster-secret': ['cluster_identifier', 'secret_arn'],
    'workgroup-iam': ['workgroup_name', 'workgroup_arn'],
    'workgroup-secret': ['workgroup_name', 'workgroup_arn', 'secret_arn'],
  };
  return [...byTarget[variant.target], ...(variant.key === 'own-key' ? ['encryption_key_arn'] : [])];
}

/**
 * A Terraform string template naming the variant the inputs ask for (for example
 * `cluster-db-user.module-key`). The inputs' own validation guarantees they describe exactly one target.
 */
export function variantTemplate(): string {
  const target =
    'var.cluster_identifier != null ? (var.secret_arn != null ? "cluster-secret" : "cluster-db-user") : ' +
    '(var.secret_arn != null ? "workgroup-secret" : "workgroup-iam")';
  const key = 'var.encryption_key_arn != null ? "own-key" : "module-key"';
  return '${' + target + '}.${' + key + '}';
}
