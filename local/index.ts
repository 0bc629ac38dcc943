/**
 * `cdktf-stepfunctions-redshift/local`: run your state machines and the tasker's whole callback flow on one
 * machine, in your own tests (README "Try it locally"). Needs the optional peer dependencies listed in
 * `LOCAL_KIT_PACKAGES` (and `@electric-sql/pglite` for embedded PostgreSQL); importing without them throws
 * `LocalKitDependencyError` naming what to install.
 */
import './require-local-peers';

export { startLocalTasker, LOCAL_TASKER_ARN, LocalStateMachineError } from './stack';
export type { LocalTasker, LocalTaskerOptions, HandlerInvocation, StateMachineRef } from './stack';
export { LocalTaskerConfigurationError } from './tasker-environment';
export { createKitClock, KitClockError } from './clock';
export type { KitClock, KitTimer } from './clock';
export type { FaultWindow } from './fault-window';
export { LocalKitDependencyError, LOCAL_KIT_PACKAGES, PGLITE_PACKAGE } from './peer-dependencies';
export { UnsupportedTaskResource } from './step-functions/run-state-machine';
export type { ExecutionResult, RunStateMachineOptions, StateEvent } from './step-functions/run-state-machine';
export type { DescribeExecutionOutput } from './step-functions/nested-execution';
export type { InvocationResult } from './lambda/invoke';
export type { LocalDynamoDb } from './dynamodb';
export type { LocalStepFunctionsCallbacks, TaskCallback, TokenErrorName } from './step-functions/callback-server';
export type { LocalEventDelivery, DeadLetter, DeliveredBatch } from './event-delivery';
export {
  startLocalRedshiftData,
  createPgliteEngine,
  createPostgresEngine,
  PostgresEngineConfigurationError,
  DataApiError,
} from './redshift-data';
export type {
  LocalRedshiftData,
  LocalRedshiftDataOptions,
  InjectedError,
  SqlEngine,
  StatusChangeEvent,
  PgliteEngineOptions,
  PostgresEngineOptions,
} from './redshift-data';
