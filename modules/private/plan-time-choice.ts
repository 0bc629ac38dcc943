/**
 * Choices between two settings by whether an optional value is set, for the construct's internals.
 *
 * A value that is absent or plain decides at synth time and returns one branch as it is, so plain props
 * synthesize exactly as before (no dead conditionals). A value marked by `orNull` returns a Terraform
 * conditional that decides at plan time (see ../plan-time.ts).
 */
import { Fn, Op, ref, TerraformStack, Token, Tokenization, type TerraformResource } from 'cdktf';
import { mayBeNull } from '../plan-time';

/**
 * An attribute of a resource with `count`, referred to through its instances: `one(<address>[*].<attribute>)`,
 * which is null while the count is 0.
 */
export function countedAttribute(resource: TerraformResource, attribute: string): string {
  return Fn.one(ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${attribute}`, TerraformStack.of(resource)));
}

/** The Terraform condition "`value` is set" (for a value marked by `orNull`). */
export function isSetAtPlanTime(value: string): unknown {
  return Op.neq(value, Token.nullValue());
}

/** `ifSet` when `value` is given and not null, else `ifNull`. Strings stay strings (a conditional becomes a string token). */
export function whenSet<T>(value: string | undefined, ifSet: T, ifNull: T): T {
  if (value === undefined) return ifNull;
  if (!mayBeNull(value)) return ifSet;
  const choice = Fn.conditional(isSetAtPlanTime(value), asFunctionArgument(ifSet), asFunctionArgument(ifNull));
  return (typeof ifSet === 'string' ? Token.asString(choice) : choice) as T;
}

/**
 * `entries` without the ones whose value is absent; an entry whose value may be null is kept by Terraform
 * only when it is set (`merge(...)` of conditionals). Plain entries give a plain record.
 */
export function withoutNulls(entries: Record<string, string | undefined>): Record<string, string> {
  const fixed: Record<string, string> = {};
  const optional: unknown[] = [];
  for (const [name, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    if (mayBeNull(value)) optional.push(Fn.conditional(isSetAtPlanTime(value), { [name]: value }, {}));
    else fixed[name] = value;
  }
  return optional.length === 0 ? fixed : Token.asStringMap(Fn.merge([asFunctionArgument(fixed), ...optional]));
}

/**
 * `value` ready to sit inside a Terraform function call or conditional: a string mixing text and
 * references (`arn:${partition}:...`) becomes `format("arn:%s:...", partition, ...)`, since cdktf cannot
 * render a `${...}` template there reliably (it warns); arrays and objects are converted item by item.
 */
export function asFunctionArgument<T>(value: T): T {
  if (typeof value === 'string') return templateAsFormat(value) as T;
  if (Token.isUnresolved(value)) return value;
  if (Array.isArray(value)) return value.map(asFunctionArgument) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asFunctionArgument(v)])) as T;
  }
  return value;
}

/** Marks the pieces of a string cdktf splits into text and references. */
class Pieces {
  constructor(public readonly items: readonly string[]) {}
}

function templateAsFormat(value: string): string {
  if (!Token.isUnresolved(value)) return value;
  const joined = Tokenization.reverseString(value).join({
    join: (left: unknown, right: unknown) => new Pieces([...(left instanceof Pieces ? left.items : [String(left)]), String(right)]),
  });
  // One fragment: a bare reference, which cdktf renders as it is.
  if (!(joined instanceof Pieces)) return value;
  const references = joined.items.filter((piece) => Token.isUnresolved(piece));
  const pattern = joined.items.map((piece) => (Token.isUnresolved(piece) ? '%s' : piece.replace(/%/g, '%%'))).join('');
  return Fn.format(pattern, references);
}

/**
 * `count` of a resource that exists only while `value` is null (for example the construct's own key when
 * no key ARN is given); undefined when the resource always exists (plain or absent values decide before).
 */
export function countWhenNull(value: string | undefined): number | undefined {
  return mayBeNull(value) ? Token.asNumber(Fn.conditional(isSetAtPlanTime(value), 0, 1)) : undefined;
}
