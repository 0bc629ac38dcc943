/** Test helpers for the example state machines: walk a definition's task states and their SQL. */
import type { State, StateMachineDefinition, TaskState } from '../../../modules/sfn';

export { expectValidAsl, TASKER_ARN, validateAsl } from '../../modules/sfn/asl-validate';

/** Every state of a definition, branches included, with its name. */
export function allStates(machine: { States: Record<string, State> }): Array<[string, State]> {
  return Object.entries(machine.States).flatMap(
    ([name, state]): Array<[string, State]> =>
      state.Type === 'Parallel' ? [[name, state], ...state.Branches.flatMap((item) => allStates(item))] : [[name, state]],
  );
}

/** The tasker payload of a task state. */
export function payloadOf(state: State): Record<string, unknown> {
  return ((state as TaskState).Parameters as { Payload: Record<string, unknown> }).Payload;
}

/** The task states that start SQL, with their payloads. */
export function sqlStates(machine: StateMachineDefinition): Array<{ name: string; state: TaskState; payload: Record<string, unknown> }> {
  return allStates(machine)
    .filter(
      ([, state]) =>
        state.Type === 'Task' && typeof payloadOf(state).action === 'string' && String(payloadOf(state).action).startsWith('execute'),
    )
    .map(([name, state]) => ({ name, state: state as TaskState, payload: payloadOf(state) }));
}
