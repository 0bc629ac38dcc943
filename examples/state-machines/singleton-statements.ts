import { definition, parallel, pass, sqlTask, type NamedState, type StateMachineDefinition } from '../../modules/sfn';

/** Options of {@link singletonStatements}. */
export interface SingletonStatementsOptions {
  /**
   * The statement every branch tries to run; it must run long enough for the twins to overlap.
   * @default - a count over three million generated rows (a few seconds)
   */
  readonly sql?: string;
  /**
   * How many branches try to run it at the same time.
   * @default 3
   */
  readonly branches?: number;
}

/**
 * The same singleton statement from several branches at once: one runs, the others are refused with
 * `ConcurrentExecution` (caught, so the execution still succeeds).
 */
export function singletonStatements(taskerArn: string, options: SingletonStatementsOptions = {}): StateMachineDefinition {
  const sql = options.sql ?? 'SELECT COUNT(*) AS generated FROM generate_series(1, 3000000) AS g';
  const count = options.branches ?? 3;
  const branches: NamedState[][] = Array.from({ length: count }, (_, index) => [
    sqlTask(taskerArn, `Run report (${index + 1})`, { sql, singleton: true, catchConcurrent: `Already running (${index + 1})` }),
    pass(`Already running (${index + 1})`, { comment: 'Another branch runs the same statement.' }),
  ]);
  return definition({
    comment: 'Start one statement from several branches; only one may run',
    timeoutSeconds: 900,
    states: [parallel('Run the report once', { branches })],
  });
}
