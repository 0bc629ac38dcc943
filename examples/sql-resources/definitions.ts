/**
 * The SQL of the example: a schema, a user and the user's read grants on the schema, each with the SQL
 * that creates it, (for the user) updates it in place, and undoes it on destroy.
 *
 * Kept apart from the stack so tests can run exactly this SQL on the local PostgreSQL-backed Data API.
 */
import type { SqlResourceOptions } from '../../modules/sql-resource';

export interface ExampleSqlSettings {
  /** Schema to manage. @default 'analytics' */
  readonly schemaName?: string;
  /** User to manage. @default 'analytics_reader' */
  readonly userName?: string;
  /**
   * How the user signs in, as a CREATE USER clause. `PASSWORD DISABLE` (Redshift) leaves only temporary IAM
   * credentials (GetClusterCredentials), so no password is ever stored in the Terraform state. Changing it
   * runs the user's `update` SQL in place (`ALTER USER <user> <clause>`).
   * @default 'PASSWORD DISABLE'
   */
  readonly passwordClause?: string;
  /** Most concurrent connections of the user; changing it runs the user's `update` SQL in place. @default 10 */
  readonly connectionLimit?: number;
}

export interface ExampleSqlDefinitions {
  readonly schema: SqlResourceOptions;
  readonly user: SqlResourceOptions;
  /** Depends on `schema` and `user` (created after both, destroyed before either). */
  readonly grants: SqlResourceOptions;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;

/** Thrown for a schema or user name that is not a plain lower-case SQL identifier (it is put into SQL text). */
export class ExampleSqlSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExampleSqlSettingsError';
  }
}

export function exampleSqlDefinitions(settings: ExampleSqlSettings = {}): ExampleSqlDefinitions {
  const schema = settings.schemaName ?? 'analytics';
  const user = settings.userName ?? 'analytics_reader';
  const limit = settings.connectionLimit ?? 10;
  const password = settings.passwordClause ?? 'PASSWORD DISABLE';
  for (const [field, value] of [
    ['schemaName', schema],
    ['userName', user],
  ] as const) {
    if (!IDENTIFIER.test(value)) throw new ExampleSqlSettingsError(`${field}: '${value}' must be a lower-case SQL identifier`);
  }
  if (!Number.isInteger(limit) || limit < 1) throw new ExampleSqlSettingsError(`connectionLimit: must be a positive integer, got ${limit}`);

  return {
    schema: {
      create: `CREATE SCHEMA IF NOT EXISTS ${schema}`,
      // RESTRICT (the default): refuses to drop a schema that still holds tables, rather than losing data.
      destroy: `DROP SCHEMA IF EXISTS ${schema}`,
    },
    user: {
      create: `CREATE USER ${user} ${password} CONNECTION LIMIT ${limit}`,
      // Every setting `create` applies, so whichever one changed takes effect in place. One statement per
      // option (Redshift and PostgreSQL agree on that form), run together as one transaction.
      update: [`ALTER USER ${user} ${password}`, `ALTER USER ${user} CONNECTION LIMIT ${limit}`],
      destroy: `DROP USER IF EXISTS ${user}`,
      // The name is in every statement: a new name replaces the user instead of altering one that does not exist.
      triggers: { user_name: user },
    },
    grants: {
      create: [
        `GRANT USAGE ON SCHEMA ${schema} TO ${user}`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${user}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${user}`,
      ],
      // No update SQL: a changed grant replaces the resource (revoke all, then grant the new set).
      destroy: [
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE SELECT ON TABLES FROM ${user}`,
        `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${user}`,
        `REVOKE ALL ON SCHEMA ${schema} FROM ${user}`,
      ],
    },
  };
}
