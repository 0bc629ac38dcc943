import { definition, fail, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/**
 * Several statements as one transaction (BatchExecuteStatement): either all of them apply or, when
 * one fails, none does and the task fails with `FAILED`.
 */
export function transaction(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Move an amount between two accounts in one transaction',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Transfer', {
        sqls: [
          'CREATE TABLE IF NOT EXISTS sfn_example_accounts (id integer, balance integer)',
          'DELETE FROM sfn_example_accounts',
          'INSERT INTO sfn_example_accounts (id, balance) VALUES (1, 100), (2, 0)',
          'UPDATE sfn_example_accounts SET balance = balance - 40 WHERE id = 1',
          'UPDATE sfn_example_accounts SET balance = balance + 40 WHERE id = 2',
        ],
        executionMode: 'TRANSACTION',
        catchFailed: 'Transfer rolled back',
      }),
      fail('Transfer rolled back', { error: 'TransferFailed', cause: 'A statement failed; the transaction changed nothing.' }),
    ],
  });
}
