import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_STATE_MACHINES } from '../../../examples/state-machines';
import type { SqlEngine } from '../../../local/redshift-data/engine';
import { WAIT_FOR_TASK_TOKEN_RESOURCE, type TaskState } from '../../../modules/sfn';
import { createPgliteEngine } from '../../../local/redshift-data/pglite-engine';
import { allStates, expectValidAsl, payloadOf, sqlStates, TASKER_ARN } from './support';

const TOKEN_ARN = '${TfToken[TOKEN.99]}';

describe('EXAMPLE_STATE_MACHINES', () => {
  it('lists the eight ported examples, the polling one and the session one with unique kebab-case ids and existing source files', () => {
    expect(EXAMPLE_STATE_MACHINES.map((example) => example.id)).toEqual([
      'single-success',
      'single-failure',
      'chained-statements',
      'parallel-statements',
      'singleton-statements',
      'cancel-on-timeout',
      'read-result-set',
      'transaction',
      'polling',
      'session-temp-table',
    ]);
    for (const example of EXAMPLE_STATE_MACHINES) {
      expect(example.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(existsSync(join(__dirname, '..', '..', '..', 'examples', 'state-machines', example.file))).toBe(true);
    }
  });

  it.each(EXAMPLE_STATE_MACHINES.map((example) => [example.id, example] as const))('%s is valid ASL', (_id, example) => {
    expectValidAsl(example.build(TASKER_ARN));
  });

  it.each(EXAMPLE_STATE_MACHINES.map((example) => [example.id, example] as const))(
    '%s calls only the given tasker, with a state machine timeout, and sends the task token exactly when the SQL task waits for it',
    (_id, example) => {
      const machine = example.build(TOKEN_ARN);
      expect(machine.TimeoutSeconds).toBe(900);
      const tasks = allStates(machine).filter(([, state]) => state.Type === 'Task');
      expect(tasks.length).toBeGreaterThan(0);
      for (const [, state] of tasks) {
        expect((state as TaskState).Parameters?.FunctionName).toBe(TOKEN_ARN);
        expect(payloadOf(state)['executionArn.$']).toBe('$$.Execution.Id');
      }
      for (const { state, payload } of sqlStates(machine)) {
        // Only the polling example starts SQL with a plain invoke (it reads the ExecuteStatement response instead).
        expect(payload['taskToken.$']).toBe(state.Resource === WAIT_FOR_TASK_TOKEN_RESOURCE ? '$$.Task.Token' : undefined);
        // A state in a Data API session also retries RedshiftSessionBusy.
        const inSession = payload.sessionKeepAliveSeconds !== undefined || payload['sessionId.$'] !== undefined;
        expect(state.Retry?.length).toBe(inSession ? 4 : 3);
      }
    },
  );
});

/** Named `:param` placeholders → PostgreSQL `$n`, with sample values for JSONPath parameters. */
function bind(sql: string, parameters: Array<Record<string, string>> | undefined): { text: string; values: string[] } {
  const values: string[] = [];
  const text = sql.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    const parameter = (parameters ?? []).find((item) => item.name === name);
    if (parameter === undefined) throw new Error(`no parameter ${name}`);
    values.push(parameter.value ?? `sample-${name}`);
    return `$${values.length}`;
  });
  return { text, values };
}

describe('the examples’ SQL on PostgreSQL (PGlite)', () => {
  // PGlite in a worker thread (the local Data API's engine): it cannot load inside jest's sandbox.
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createPgliteEngine();
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });

  // Deliberately slow statements are planned (EXPLAIN), not run; the failing one must fail with 42P01.
  const SLOW = /generate_series\(1, (3000000|100000000)\)/;

  it.each(EXAMPLE_STATE_MACHINES.map((example) => [example.id, example] as const))('%s runs', async (id, example) => {
    const tasks = sqlStates(example.build(TASKER_ARN));
    expect(tasks.length).toBeGreaterThan(0);
    for (const { payload } of tasks) {
      const sqls = (payload.sqlStatements as string[] | undefined) ?? [payload.sqlStatement as string];
      const parameters = payload.parameters as Array<Record<string, string>> | undefined;
      const statements = sqls.map((sql) => {
        const { text, values } = bind(sql, parameters);
        return { text: SLOW.test(text) ? `EXPLAIN ${text}` : text, values };
      });
      const outcomes = await engine.run(statements, { transaction: true, signal: new AbortController().signal });
      if (id === 'single-failure') {
        expect(outcomes).toEqual([expect.objectContaining({ ok: false, code: '42P01' })]);
      } else {
        expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
        expect(outcomes).toHaveLength(statements.length);
      }
    }
  });

  it('the transaction example moved the amount between the two balances', async () => {
    expect(await engine.query('SELECT id, balance FROM sfn_example_accounts ORDER BY id')).toEqual([
      { id: 1, balance: 60 },
      { id: 2, balance: 40 },
    ]);
  });

  it('the chained example inserted a row labelled from the execution name', async () => {
    expect(await engine.query('SELECT id, label FROM sfn_example_runs')).toEqual([{ id: 1, label: 'sample-label' }]);
  });
});
