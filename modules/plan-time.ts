/**
 * Plan-time values: settings Terraform decides when planning, instead of cdktf at synth time.
 *
 * A prop given as a plain value (or left out) is decided at synth time, and the synthesized
 * configuration holds only the branch it chose. A prop given as `orNull(reference)`, where the
 * reference is something Terraform knows at plan time and that may be null (a module input, a local
 * built from inputs), is decided by Terraform: the construct writes both branches, chosen by
 * `reference != null`, and keeps every resource at the same address whichever way it goes. The
 * Terraform module (`terraform-module/`) is the construct built this way from its inputs.
 *
 * The null-ness must be known at plan time: it may decide a resource's `count` (the construct's own
 * KMS key), which Terraform refuses to leave unknown. A resource attribute does not qualify.
 */
import { Token } from 'cdktf';

/** Thrown when `orNull` gets a plain value: a plain value is never null, give it as it is. */
export class PlanTimeValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanTimeValueError';
  }
}

/** The references marked by `orNull`, by their token text (tokens are unique within a process). */
const MAY_BE_NULL = new Set<string>();

/**
 * Marks `reference` (a Terraform string reference, e.g. `variable.stringValue`) as one that may be null
 * at plan time, and returns it unchanged. Props that accept it say so in their documentation.
 */
export function orNull(reference: string): string {
  if (!Token.isUnresolved(reference)) {
    throw new PlanTimeValueError(
      `orNull('${reference}'): only a Terraform reference can be null at plan time; give a plain value as it is`,
    );
  }
  MAY_BE_NULL.add(reference);
  return reference;
}

/** True when `value` was marked by `orNull`. */
export function mayBeNull(value: unknown): value is string {
  return typeof value === 'string' && MAY_BE_NULL.has(value);
}
