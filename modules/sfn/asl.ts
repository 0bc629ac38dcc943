/**
 * Types of the Amazon States Language (JSONPath flavour) subset the helpers produce.
 *
 * They describe the JSON that Step Functions receives, key for key (`StartAt`, `States`, `Next`, ...),
 * so a definition built here can be printed, diffed and validated like a hand-written one.
 * See https://states-language.net/spec.html.
 */

/** A JSON value, as it appears in `Parameters`, `Result` and payloads. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. Keys ending in `.$` take a JSONPath (`$.x` for the input, `$$.x` for the context object). */
export type JsonObject = { [key: string]: JsonValue };

/** A `Retry` entry: retry the state when it fails with one of `ErrorEquals`. */
export interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** A `Catch` entry: when the state fails with one of `ErrorEquals`, go to `Next`. */
export interface Catcher {
  readonly ErrorEquals: string[];
  readonly Next: string;
  /** Where the error object (`{ Error, Cause }`) is put in the state's input; `null` discards it. */
  readonly ResultPath?: string | null;
}

/** Fields every state may carry. */
interface StateBase {
  readonly Comment?: string;
}

/** How a state moves on: to the next state, or ends the state machine (or branch). */
export interface Transition {
  readonly Next?: string;
  readonly End?: true;
}

/** Input/output processing shared by Task, Pass and Parallel states. */
interface InputOutput {
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
}

export interface TaskState extends StateBase, Transition, InputOutput {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters?: JsonObject;
  readonly ResultSelector?: JsonObject;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
}

export interface PassState extends StateBase, Transition, InputOutput {
  readonly Type: 'Pass';
  readonly Result?: JsonValue;
  readonly Parameters?: JsonObject;
}

export interface WaitState extends StateBase, Transition {
  readonly Type: 'Wait';
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
}

export interface SucceedState extends StateBase {
  readonly Type: 'Succeed';
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
}

export interface FailState extends StateBase {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * A Choice rule in ASL form (`{ Variable, StringEquals: 'x' }`, `{ And: [...] }`, ...). The top-level
 * rules of a Choice state also carry `Next`. Kept open: ASL has some forty comparison operators.
 */
export interface ChoiceRule {
  readonly Variable?: string;
  readonly And?: ChoiceRule[];
  readonly Or?: ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly [operator: string]: JsonValue | ChoiceRule | ChoiceRule[] | undefined;
}

export interface ChoiceState extends StateBase {
  readonly Type: 'Choice';
  readonly Choices: Array<ChoiceRule & { readonly Next: string }>;
  readonly Default?: string;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
}

/** A branch of a Parallel state: a state machine of its own, whose states may not leave it. */
export interface BranchDefinition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
  readonly Comment?: string;
}

export interface ParallelState extends StateBase, Transition, InputOutput {
  readonly Type: 'Parallel';
  readonly Branches: BranchDefinition[];
  readonly ResultSelector?: JsonObject;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
}

export type State = TaskState | PassState | WaitState | SucceedState | FailState | ChoiceState | ParallelState;

/** A whole state machine definition, as `aws_sfn_state_machine.definition` takes it (once serialised). */
export interface StateMachineDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Record<string, State>;
  readonly TimeoutSeconds?: number;
}

/** A state with the name it is known by in `States` (names are unique in the whole state machine). */
export interface NamedState<S extends State = State> {
  readonly name: string;
  readonly state: S;
}
