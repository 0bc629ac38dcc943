// Package entry point: the constructs and helpers users import.
export * from '../functions/shared/contract';
