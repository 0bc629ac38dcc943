/**
 * Compose a state machine definition from named states, and check it before Terraform sees it.
 *
 * Much simpler than the AWS CDK chain API on purpose: a definition is a list of named states, each
 * saying where it goes next by name (`next: 'Load'`), exactly as the JSON will. The first state runs
 * first unless `startAt` says otherwise.
 *
 * ```ts
 * const def = definition({
 *   comment: 'Create and fill a table',
 *   states: [
 *     sqlTask(arn, 'Create table', { sql: 'CREATE TABLE t (id int)', next: 'Insert rows' }),
 *     sqlTask(arn, 'Insert rows', { sql: 'INSERT INTO t VALUES (1)', catchFailed: 'Insert failed' }),
 *     fail('Insert failed', { error: 'InsertFailed' }),
 *   ],
 * });
 * ```
 *
 * `definition()` throws {@link InvalidDefinitionError} for a duplicate state name (anywhere, branches
 * included), a `Next`/`Default`/`Catch` target that is not a state of the same scope, an unknown `startAt`,
 * or a state nothing leads to.
 */
import type {
  BranchDefinition,
  Catcher,
  ChoiceRule,
  ChoiceState,
  FailState,
  JsonObject,
  JsonValue,
  NamedState,
  ParallelState,
  PassState,
  Retrier,
  State,
  StateMachineDefinition,
  SucceedState,
  WaitState,
} from './asl';
import { InvalidDefinitionError, InvalidStateOptionsError } from './errors';
import { transition, type TransitionOptions } from './transition';

/** Longest state name Step Functions accepts. */
export const MAX_STATE_NAME_LENGTH = 80;

/** Options of {@link definition}. */
export interface DefinitionOptions {
  /** The states, in the order they appear in the JSON. */
  readonly states: NamedState[];
  /**
   * Name of the state that runs first.
   * @default - the first of `states`
   */
  readonly startAt?: string;
  /**
   * A comment on the state machine.
   * @default - none
   */
  readonly comment?: string;
  /**
   * Fail the execution with `States.Timeout` after this many seconds.
   * @default - none: Standard workflows run for up to one year
   */
  readonly timeoutSeconds?: number;
}

/** Builds and checks a whole state machine definition. */
export function definition(options: DefinitionOptions): StateMachineDefinition {
  if (options.timeoutSeconds !== undefined && (!Number.isInteger(options.timeoutSeconds) || options.timeoutSeconds < 1)) {
    throw new InvalidStateOptionsError('(state machine)', '`timeoutSeconds` must be a whole number of seconds, 1 or more.');
  }
  const scope = buildScope(options.states, options.startAt, 'the state machine');
  const result: StateMachineDefinition = {
    ...(options.comment !== undefined && { Comment: options.comment }),
    StartAt: scope.StartAt,
    ...(options.timeoutSeconds !== undefined && { TimeoutSeconds: options.timeoutSeconds }),
    States: scope.States,
  };
  validateDefinition(result);
  return result;
}

/**
 * Checks a definition, built here or written by hand: unique state names in the whole machine,
 * every transition to a state of its own scope (a Parallel branch cannot jump out), a known `StartAt`,
 * every state reachable from it.
 */
export function validateDefinition(machine: StateMachineDefinition): void {
  const seen = new Set<string>();
  checkScope(machine, 'the state machine', seen);
}

/** Options of {@link branch} (a Parallel branch). */
export interface BranchOptions {
  /** The branch's states; they may only go to each other. */
  readonly states: NamedState[];
  /**
   * Name of the state that runs first in the branch.
   * @default - the first of `states`
   */
  readonly startAt?: string;
  /**
   * A comment on the branch.
   * @default - none
   */
  readonly comment?: string;
}

/** A Parallel branch. `parallel()` also accepts a plain list of states for a branch. */
export function branch(options: BranchOptions): BranchDefinition {
  const scope = buildScope(options.states, options.startAt, 'a branch');
  return { ...(options.comment !== undefined && { Comment: options.comment }), StartAt: scope.StartAt, States: scope.States };
}

/** Options of {@link parallel}. */
export interface ParallelOptions extends TransitionOptions {
  /** The branches, run at the same time; each is a {@link branch} or a list of states. */
  readonly branches: Array<BranchDefinition | NamedState[]>;
  /**
   * Where the list of branch outputs goes in the state's input; `null` discards it.
   * @default '$' (the ASL default: the list replaces the input)
   */
  readonly resultPath?: string | null;
  /**
   * Name of the state to go to when a branch fails with any error (`States.ALL`).
   * @default - none: a failed branch fails the state machine
   */
  readonly catchAll?: string;
  /**
   * More `Catch` entries, before the `catchAll` one.
   * @default - none
   */
  readonly catch?: Catcher[];
  /**
   * Where a catch puts the error object in the state's input; `null` discards it.
   * @default '$.error'
   */
  readonly catchResultPath?: string | null;
  /**
   * `Retry` entries of the whole Parallel state.
   * @default - none
   */
  readonly retry?: Retrier[];
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** A state that runs branches at the same time and waits for all of them. */
export function parallel(name: string, options: ParallelOptions): NamedState<ParallelState> {
  if (options.branches.length === 0) throw new InvalidStateOptionsError(name, '`branches` must hold at least one branch.');
  const branches = options.branches.map((item) => (Array.isArray(item) ? branch({ states: item }) : item));
  const catchers: Catcher[] = [
    ...(options.catch ?? []),
    ...(options.catchAll !== undefined
      ? [
          {
            ErrorEquals: ['States.ALL'],
            Next: options.catchAll,
            ResultPath: options.catchResultPath === undefined ? '$.error' : options.catchResultPath,
          },
        ]
      : []),
  ];
  const state: ParallelState = {
    Type: 'Parallel',
    ...(options.comment !== undefined && { Comment: options.comment }),
    Branches: branches,
    ...(options.resultPath !== undefined && { ResultPath: options.resultPath }),
    ...(options.retry !== undefined && { Retry: options.retry }),
    ...(catchers.length > 0 && { Catch: catchers }),
    ...transition(name, options),
  };
  return { name, state };
}

/** Options of {@link pass}. */
export interface PassOptions extends TransitionOptions {
  /**
   * A fixed result.
   * @default - none: the input passes through
   */
  readonly result?: JsonValue;
  /**
   * A payload template built from the input (keys ending in `.$` take a JSONPath).
   * @default - none
   */
  readonly parameters?: JsonObject;
  /**
   * Where the result goes in the input.
   * @default '$'
   */
  readonly resultPath?: string | null;
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** A state that passes its input on, optionally shaping it. */
export function pass(name: string, options: PassOptions = {}): NamedState<PassState> {
  const state: PassState = {
    Type: 'Pass',
    ...(options.comment !== undefined && { Comment: options.comment }),
    ...(options.result !== undefined && { Result: options.result }),
    ...(options.parameters !== undefined && { Parameters: options.parameters }),
    ...(options.resultPath !== undefined && { ResultPath: options.resultPath }),
    ...transition(name, options),
  };
  return { name, state };
}

/** Options of {@link succeed}. */
export interface SucceedOptions {
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** A state that ends the execution (or branch) successfully. */
export function succeed(name: string, options: SucceedOptions = {}): NamedState<SucceedState> {
  return { name, state: { Type: 'Succeed', ...(options.comment !== undefined && { Comment: options.comment }) } };
}

/** Options of {@link fail}. */
export interface FailOptions {
  /**
   * The error name the execution fails with.
   * @default - none
   */
  readonly error?: string;
  /**
   * A human-readable cause.
   * @default - none
   */
  readonly cause?: string;
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** A state that fails the execution (or branch). */
export function fail(name: string, options: FailOptions = {}): NamedState<FailState> {
  const state: FailState = {
    Type: 'Fail',
    ...(options.comment !== undefined && { Comment: options.comment }),
    ...(options.error !== undefined && { Error: options.error }),
    ...(options.cause !== undefined && { Cause: options.cause }),
  };
  return { name, state };
}

/** Options of {@link wait}: exactly one of `seconds`, `secondsPath`, `timestamp`, `timestampPath`. */
export interface WaitOptions extends TransitionOptions {
  /**
   * Seconds to wait.
   * @default - none
   */
  readonly seconds?: number;
  /**
   * JSONPath to the seconds to wait.
   * @default - none
   */
  readonly secondsPath?: string;
  /**
   * An ISO 8601 timestamp to wait until.
   * @default - none
   */
  readonly timestamp?: string;
  /**
   * JSONPath to the timestamp to wait until.
   * @default - none
   */
  readonly timestampPath?: string;
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** A state that waits. */
export function wait(name: string, options: WaitOptions): NamedState<WaitState> {
  const given = (['seconds', 'secondsPath', 'timestamp', 'timestampPath'] as const).filter((key) => options[key] !== undefined);
  if (given.length !== 1) {
    throw new InvalidStateOptionsError(name, 'give exactly one of `seconds`, `secondsPath`, `timestamp`, `timestampPath`.');
  }
  if (options.seconds !== undefined && (!Number.isInteger(options.seconds) || options.seconds < 0)) {
    throw new InvalidStateOptionsError(name, '`seconds` must be a whole number, 0 or more.');
  }
  const state: WaitState = {
    Type: 'Wait',
    ...(options.comment !== undefined && { Comment: options.comment }),
    ...(options.seconds !== undefined && { Seconds: options.seconds }),
    ...(options.secondsPath !== undefined && { SecondsPath: options.secondsPath }),
    ...(options.timestamp !== undefined && { Timestamp: options.timestamp }),
    ...(options.timestampPath !== undefined && { TimestampPath: options.timestampPath }),
    ...transition(name, options),
  };
  return { name, state };
}

/** One way out of a Choice state: when `when` matches, go to `next`. */
export interface ChoiceBranch {
  /** An ASL choice rule, for example `{ Variable: '$.detail.state', StringEquals: 'FINISHED' }`. */
  readonly when: ChoiceRule;
  /** Name of the state to go to. */
  readonly next: string;
}

/** Options of {@link choice}. */
export interface ChoiceOptions {
  /** The rules, tried in order. */
  readonly choices: ChoiceBranch[];
  /**
   * Name of the state to go to when no rule matches.
   * @default - none: no match fails the execution with `States.NoChoiceMatched`
   */
  readonly otherwise?: string;
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** A state that picks the next state from its input. */
export function choice(name: string, options: ChoiceOptions): NamedState<ChoiceState> {
  if (options.choices.length === 0) throw new InvalidStateOptionsError(name, '`choices` must hold at least one rule.');
  const state: ChoiceState = {
    Type: 'Choice',
    ...(options.comment !== undefined && { Comment: options.comment }),
    Choices: options.choices.map(({ when, next }) => ({ ...when, Next: next })),
    ...(options.otherwise !== undefined && { Default: options.otherwise }),
  };
  return { name, state };
}

/** The names a state may move to, with what leads there (used by validation and by the Mermaid renderer). */
export function transitionsOf(
  state: State,
): Array<{ target: string; kind: 'next' | 'choice' | 'default' | 'catch'; label?: string; rule?: ChoiceRule }> {
  const out: Array<{ target: string; kind: 'next' | 'choice' | 'default' | 'catch'; label?: string; rule?: ChoiceRule }> = [];
  if ('Next' in state && state.Next !== undefined) out.push({ target: state.Next, kind: 'next' });
  if (state.Type === 'Choice') {
    for (const rule of state.Choices) out.push({ target: rule.Next, kind: 'choice', rule });
    if (state.Default !== undefined) out.push({ target: state.Default, kind: 'default' });
  }
  if ((state.Type === 'Task' || state.Type === 'Parallel') && state.Catch !== undefined) {
    for (const catcher of state.Catch) out.push({ target: catcher.Next, kind: 'catch', label: catcher.ErrorEquals.join(', ') });
  }
  return out;
}

function buildScope(states: NamedState[], startAt: string | undefined, where: string): { StartAt: string; States: Record<string, State> } {
  if (states.length === 0) throw new InvalidDefinitionError('EMPTY', `${where} has no states.`);
  const record: Record<string, State> = {};
  for (const { name, state } of states) {
    checkName(name);
    if (Object.hasOwn(record, name)) {
      throw new InvalidDefinitionError('DUPLICATE_STATE_NAME', `State name "${name}" is used twice in ${where}.`);
    }
    record[name] = state;
  }
  return { StartAt: startAt ?? states[0].name, States: record };
}

function checkScope(scope: BranchDefinition | StateMachineDefinition, where: string, seen: Set<string>): void {
  const names = Object.keys(scope.States);
  if (names.length === 0) throw new InvalidDefinitionError('EMPTY', `${where} has no states.`);
  if (!names.includes(scope.StartAt)) {
    throw new InvalidDefinitionError('UNKNOWN_START_STATE', `StartAt "${scope.StartAt}" is not a state of ${where}.`);
  }
  for (const name of names) {
    checkName(name);
    if (seen.has(name)) {
      throw new InvalidDefinitionError(
        'DUPLICATE_STATE_NAME',
        `State name "${name}" is used twice (state names are unique in the whole state machine, branches included).`,
      );
    }
    seen.add(name);
  }
  for (const name of names) {
    const state = scope.States[name];
    for (const { target, kind } of transitionsOf(state)) {
      if (!names.includes(target)) {
        throw new InvalidDefinitionError(
          'UNKNOWN_TRANSITION_TARGET',
          `State "${name}" goes (${kind}) to "${target}", which is not a state of ${where}.`,
        );
      }
    }
    if (state.Type === 'Parallel') {
      for (const [index, item] of state.Branches.entries()) checkScope(item, `branch ${index + 1} of "${name}"`, seen);
    }
  }
  // Step Functions refuses a state nothing leads to.
  const reached = new Set<string>([scope.StartAt]);
  const queue = [scope.StartAt];
  while (queue.length > 0) {
    for (const { target } of transitionsOf(scope.States[queue.shift() as string])) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  const unreachable = names.find((name) => !reached.has(name));
  if (unreachable !== undefined) {
    throw new InvalidDefinitionError('UNREACHABLE_STATE', `State "${unreachable}" of ${where} is not reachable from "${scope.StartAt}".`);
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_STATE_NAME_LENGTH) {
    throw new InvalidDefinitionError(
      'INVALID_STATE_NAME',
      `State name "${String(name)}" must be 1 to ${MAX_STATE_NAME_LENGTH} characters.`,
    );
  }
}
