/**
 * Validated state machines, cached by definition text. Building a `StateMachine` runs asl-validator (which
 * compiles its JSON schema: about 80–95 ms of CPU), so a definition is validated once, not at every execution;
 * a `StateMachine` holds no execution state and is run many times.
 */
import './promise-with-resolvers';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/** Distinct definitions kept; the oldest is dropped beyond this. */
const MAX_CACHED_DEFINITIONS = 256;
const cache = new Map<string, StateMachine>();

/** Checks an ASL definition the way the runner will (aws-local-stepfunctions' validation); throws with the problems. */
export function validateDefinition(definition: object): StateMachine {
  const key = JSON.stringify(definition);
  const cached = cache.get(key);
  if (cached) return cached;
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
  if (cache.size >= MAX_CACHED_DEFINITIONS) cache.delete(cache.keys().next().value as string);
  cache.set(key, machine);
  return machine;
}
