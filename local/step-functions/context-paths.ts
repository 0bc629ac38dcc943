/**
 * Gives a local run the context-object fields aws-local-stepfunctions does not fill per state:
 * `$$.State.Name`, `$$.State.EnteredTime`, `$$.State.RetryCount` and `$$.Task.Token`.
 *
 * The library evaluates payload templates against one static context object, so each `.$` path
 * starting with `$$.State.` or `$$.Task.` is rewritten to a per-state slot
 * (`$$.LocalStates.s<n>.<field>`) whose getters answer for that state (`Name` becomes a literal).
 */
import { randomUUID } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Fields of a state's payload templates that the rewrite visits. */
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector'] as const;

export interface StateSlot {
  readonly name: string;
  /** Entry time of the current visit, fixed on first read until `exited()` (retries keep it, as in AWS). */
  enteredTime?: string;
  /** Every token handed out for this state, newest last. */
  readonly tokens: string[];
}

export interface RewrittenDefinition {
  definition: JsonObject;
  /** The context fragment to merge into the run's context: `{ LocalStates: { s1: {...}, ... } }`. */
  contextSlots: Record<string, unknown>;
  /** Slot per state name. */
  slots: Map<string, StateSlot>;
  /** Tokens handed out (any state) → the state name. */
  tokenOwners: Map<string, string>;
}

/** Rewrites a definition (deep copy; nested Parallel branches and Map processors included). */
export function rewriteContextPaths(definition: JsonObject, executionName: string): RewrittenDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as JsonObject;
  const slots = new Map<string, StateSlot>();
  const tokenOwners = new Map<string, string>();
  const contextSlots: Record<string, unknown> = {};
  const slotIds = new Map<string, string>();

  const slotFor = (stateName: string): string => {
    const existing = slotIds.get(stateName);
    if (existing) return existing;
    const id = `s${slotIds.size + 1}`;
    slotIds.set(stateName, id);
    const slot: StateSlot = { name: stateName, tokens: [] };
    slots.set(stateName, slot);
    contextSlots[id] = {
      get EnteredTime(): string {
        slot.enteredTime ??= new Date().toISOString();
        return slot.enteredTime;
      },
      get RetryCount(): number {
        return 0;
      },
      get TaskToken(): string {
        const token = `local-token.${executionName}.${id}.${randomUUID()}`;
        slot.tokens.push(token);
        tokenOwners.set(token, stateName);
        return token;
      },
    };
    return id;
  };

  const rewriteTemplate = (template: Json, stateName: string): Json => {
    if (Array.isArray(template)) return template.map((item) => rewriteTemplate(item, stateName));
    if (template === null || typeof template !== 'object') return template;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(template)) {
      if (key.endsWith('.$') && typeof value === 'string') {
        if (value === '$$.State.Name') {
          out[key.slice(0, -2)] = stateName;
          continue;
        }
        const match = /^\$\$\.(State\.(EnteredTime|RetryCount)|Task\.Token)$/.exec(value);
        if (match) {
          const field = match[2] ?? 'TaskToken';
          out[key] = `$$.LocalStates.${slotFor(stateName)}.${field}`;
          continue;
        }
      }
      out[key] = rewriteTemplate(value, stateName);
    }
    return out;
  };

  const visitMachine = (machine: JsonObject): void => {
    const states = machine.States as Record<string, JsonObject> | undefined;
    if (!states) return;
    for (const [name, state] of Object.entries(states)) {
      for (const field of TEMPLATE_FIELDS) {
        if (state[field] !== undefined) state[field] = rewriteTemplate(state[field], name);
      }
      for (const branch of (state.Branches as JsonObject[] | undefined) ?? []) visitMachine(branch);
      if (state.Iterator) visitMachine(state.Iterator as JsonObject);
      if (state.ItemProcessor) visitMachine(state.ItemProcessor as JsonObject);
    }
  };

  visitMachine(copy);
  return { definition: copy, contextSlots: { LocalStates: contextSlots }, slots, tokenOwners };
}

/** Depth-first search for a string value of `payload` that is one of `tokens`. */
export function findToken(payload: unknown, tokens: ReadonlyMap<string, string>): string | undefined {
  if (typeof payload === 'string') return tokens.has(payload) ? payload : undefined;
  if (payload === null || typeof payload !== 'object') return undefined;
  for (const value of Object.values(payload as Record<string, unknown>)) {
    const found = findToken(value, tokens);
    if (found) return found;
  }
  return undefined;
}
