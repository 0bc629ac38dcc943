/** The shape of one input variable of the Terraform module (the table itself: module-inputs.ts). */

export interface InputValidation {
  /** A Terraform expression that must be true (without the `${}` wrapper). */
  readonly condition: string;
  /** Terraform shows this when the condition is false. */
  readonly errorMessage: string;
}

export interface ModuleInput {
  /** The variable's name (snake_case, as callers write it). */
  readonly name: string;
  /** A Terraform type constraint. */
  readonly type: string;
  readonly description: string;
  /** Present when the input is optional; `null` means "not set" (the construct's own default applies). */
  readonly default?: unknown;
  readonly validation?: readonly InputValidation[];
}
