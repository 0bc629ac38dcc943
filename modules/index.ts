// Package entry point: the constructs and helpers users import.
export * from '../functions/shared/contract';
export * from '../functions/shared/settings';
export * from './sfn-redshift-tasker';
export * from './tasker-base';
export * from './tasker-props';
export * from './event-pattern';
export * from './sfn';
export * from './sql-resource';
export * from './tasker-code';
export { orNull, PlanTimeValueError } from './plan-time';
export * from './tasker-config';
export { HandlerBundleNotFoundError } from './handler-bundle';
