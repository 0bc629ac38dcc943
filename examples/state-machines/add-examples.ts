import type { Construct } from 'constructs';
import { TaskerStateMachine } from '../../modules/sfn';
import { EXAMPLE_STATE_MACHINES } from './catalog';

/** Options of {@link addExampleStateMachines}. */
export interface AddExampleStateMachinesOptions {
  /**
   * Prefix of the state machine names (`<prefix><example id>`).
   * @default 'sfnrs-example-'
   */
  readonly namePrefix?: string;
  /**
   * Tags of every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** Deploys every example state machine against one tasker function; construct ids are `example-<id>`. */
export function addExampleStateMachines(
  scope: Construct,
  taskerFunctionArn: string,
  options: AddExampleStateMachinesOptions = {},
): TaskerStateMachine[] {
  const prefix = options.namePrefix ?? 'sfnrs-example-';
  return EXAMPLE_STATE_MACHINES.map(
    (example) =>
      new TaskerStateMachine(scope, `example-${example.id}`, {
        name: `${prefix}${example.id}`,
        taskerFunctionArn,
        definition: example.build(taskerFunctionArn),
        tags: options.tags,
      }),
  );
}
