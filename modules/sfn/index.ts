// Step Functions authoring: task states for the tasker, a definition builder, Mermaid drawings and a state machine construct.
export * from './asl';
export * from './errors';
export * from './tasks';
export * from './definition';
export * from './mermaid';
export * from './state-machine';
