/**
 * Statement names and client tokens. A statement this tasker starts is named `<prefix><key>`: the event rule
 * matches the prefix, and a status event gives the key (the tracking item's partition key) back from the name.
 */
import { LIMITS } from '../../shared/contract';

/** The Data API statement name: the tasker's prefix (matched by the event rule) + the key. */
export function statementNameFor(prefix: string, key: string): string {
  const name = `${prefix}${key}`;
  if (name.length > LIMITS.STATEMENT_NAME_MAX) throw new Error(`statement name longer than ${LIMITS.STATEMENT_NAME_MAX}`);
  return name;
}

/** The key inside a statement name, or undefined when the name is not one of ours. */
export function keyFromStatementName(prefix: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.startsWith(prefix)) return undefined;
  const key = name.slice(prefix.length);
  return /^[0-9a-f]{64}$/.test(key) ? key : undefined;
}

/** The Data API ClientToken (1–64 characters): the key itself, so a retried start is the same request. */
export const clientTokenFor = (key: string): string => key.slice(0, 64);
