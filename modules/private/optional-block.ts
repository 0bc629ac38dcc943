/**
 * Optional nested blocks (`scaling_config { ... }`, `vpc_config { ... }`): written only when they hold a value.
 *
 * AWS omits a setting that is not set (an event source mapping without a concurrency cap has no
 * `ScalingConfig`), so a block written with null inside plans as a change after every apply. A value
 * known at synth time leaves the block out; a Terraform reference (a module input) makes it a
 * `dynamic` block over zero or one element, decided at plan time.
 */
import { Fn, type TerraformResource } from 'cdktf';

/**
 * Adds `dynamic "<block>"` to `resource`, present only when `present` (a Terraform boolean expression)
 * is true, with `content` as its attributes (snake_case, as Terraform writes them). cdktf's generated
 * classes take no token for a single nested block, hence the override.
 */
export function addBlockWhen(resource: TerraformResource, block: string, present: unknown, content: Record<string, unknown>): void {
  resource.addOverride(`dynamic.${block}`, { for_each: Fn.conditional(present, [true], []), content });
}
