/**
 * JSON text for resource arguments (policies, redrive policies) whose values may be Terraform references.
 *
 * References to strings (ARNs, names) survive `JSON.stringify`: cdktf resolves them into `${...}`
 * interpolations inside the JSON string. A reference to a number or a list does not: its placeholder
 * is a huge number or a one-element list that means nothing inside a string. Values holding such a
 * reference are rendered with Terraform's `jsonencode(...)` instead, so Terraform builds the JSON at
 * plan time. Plain values keep `JSON.stringify`, whose output is the literal JSON text.
 */
import { Fn, Token } from 'cdktf';

/**
 * True when `value` holds a number or list reference anywhere. String references are not counted:
 * they work inside `JSON.stringify` output.
 */
export function holdsNonStringReference(value: unknown): boolean {
  if (typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(holdsNonStringReference);
  if (typeof value === 'object' && value !== null) {
    // A reference to an object or a boolean (IResolvable) has no plain form either.
    if (Token.isUnresolved(value)) return true;
    return Object.values(value).some(holdsNonStringReference);
  }
  return false;
}

/**
 * `value` as JSON text for a Terraform string argument.
 *
 * Strings in `value` are written as in a Terraform string template: a literal `${` (an IAM policy
 * variable such as `${aws:userid}`) is escaped as `$${`. `jsonencode` takes values, not templates,
 * and cdktf escapes literal `${` there itself, so the escape is undone on that path.
 */
export function terraformJson(value: unknown): string {
  if (!holdsNonStringReference(value)) return JSON.stringify(value);
  return Fn.jsonencode(unescapeTemplates(value));
}

/** Undoes the `$${` escape of strings in `value` (for values going into `Fn.*` calls, which escape `${` themselves). */
export function unescapeTemplates(value: unknown): unknown {
  if (typeof value === 'string') return value.split('$${').join('${');
  // Keep references (list and object tokens) as they are: copying them would lose what they stand for.
  if (Token.isUnresolved(value)) return value;
  if (Array.isArray(value)) return value.map(unescapeTemplates);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeTemplates(v)]));
  }
  return value;
}
