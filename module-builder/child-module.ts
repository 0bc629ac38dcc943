/**
 * Turns a synthesised stack into a proper Terraform child module.
 *
 * cdktf writes every stack as a root module: a `provider` block, a `backend "local"` block with an
 * absolute path, and `required_providers` pinned to the exact provider version. A child module must
 * have none of these: the caller configures providers (a module with its own provider block cannot be
 * used with `count`, `for_each` or `depends_on`), the caller owns the state, and an exact version pin
 * would clash with the caller's provider version.
 */
import type { TerraformStack } from 'cdktf';

/** Provider versions the module accepts: hashicorp/aws 5.x (what provider-aws 20.x is generated from) and 6.x. */
export const AWS_PROVIDER_VERSION_RANGE = '>= 5.0, < 7.0';
/**
 * Terraform versions the module accepts. 1.9 is the first that lets a variable's `validation`
 * refer to other variables (used for "exactly one of cluster_identifier and workgroup_name").
 */
export const TERRAFORM_VERSION_RANGE = '>= 1.9.0';

export interface ChildModuleOptions {
  /** @default AWS_PROVIDER_VERSION_RANGE */
  readonly awsProviderVersion?: string;
  /** @default TERRAFORM_VERSION_RANGE */
  readonly terraformVersion?: string;
}

/**
 * Removes the provider and backend blocks and widens the provider constraint. The stack keeps its
 * `AwsProvider` construct: cdktf's validation and its `required_providers` entry need one.
 */
export function makeChildModule(stack: TerraformStack, options: ChildModuleOptions = {}): void {
  stack.addOverride('provider', undefined);
  stack.addOverride('terraform.backend', undefined);
  stack.addOverride('terraform.required_providers.aws', {
    source: 'hashicorp/aws',
    version: options.awsProviderVersion ?? AWS_PROVIDER_VERSION_RANGE,
  });
  stack.addOverride('terraform.required_version', options.terraformVersion ?? TERRAFORM_VERSION_RANGE);
}
