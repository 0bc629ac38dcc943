import { exampleSqlDefinitions, ExampleSqlSettingsError } from '../../../examples/sql-resources/definitions';

describe('exampleSqlDefinitions', () => {
  test('names, password clause and connection limit reach the SQL', () => {
    const sql = exampleSqlDefinitions({ schemaName: 'bi', userName: 'bi_user', passwordClause: 'PASSWORD NULL', connectionLimit: 3 });
    expect(sql.schema).toEqual({ create: 'CREATE SCHEMA IF NOT EXISTS bi', destroy: 'DROP SCHEMA IF EXISTS bi' });
    expect(sql.user).toEqual({
      create: 'CREATE USER bi_user PASSWORD NULL CONNECTION LIMIT 3',
      // Every setting of `create` is applied again, so a changed password clause takes effect in place too.
      update: ['ALTER USER bi_user PASSWORD NULL', 'ALTER USER bi_user CONNECTION LIMIT 3'],
      destroy: 'DROP USER IF EXISTS bi_user',
      triggers: { user_name: 'bi_user' },
    });
    expect(sql.grants.update).toBeUndefined();
    expect(
      [...(sql.grants.create as string[]), ...(sql.grants.destroy as string[])].every((s) => s.includes(' bi ') && s.includes('bi_user')),
    ).toBe(true);
  });

  test.each([
    [{ schemaName: 'Bad-Name' }, "schemaName: 'Bad-Name' must be a lower-case SQL identifier"],
    [{ userName: 'x; drop table t' }, "userName: 'x; drop table t' must be a lower-case SQL identifier"],
    [{ connectionLimit: 0 }, 'connectionLimit: must be a positive integer, got 0'],
  ])('%j → ExampleSqlSettingsError', (settings, message) => {
    expect(() => exampleSqlDefinitions(settings)).toThrow(new ExampleSqlSettingsError(message));
  });
});
