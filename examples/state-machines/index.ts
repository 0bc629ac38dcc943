// The example state machines: one builder per file, the catalog, the deploy helper.
export * from './add-examples';
export * from './cancel-on-timeout';
export * from './catalog';
export * from './chained-statements';
export * from './parallel-statements';
export * from './polling';
export * from './read-result-set';
export * from './session-temp-table';
export * from './single-failure';
export * from './single-success';
export * from './singleton-statements';
export * from './transaction';
