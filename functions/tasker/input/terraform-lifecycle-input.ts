/**
 * The input of a SQL resource (`aws_lambda_invocation`, `lifecycle_scope = "CRUD"`): its schema (valibot) and
 * which SQL a lifecycle action runs.
 *
 * The provider sends the resource's `input` plus `tf: { action, prev_input }`:
 *   - create: the new input, `prev_input` null;
 *   - update (the input changed in place): the new input, `prev_input` = the old one;
 *   - delete: the input stored in the state, `prev_input` = the same.
 * So the SQL to run is always read from the top-level fields; `prev_input` is only logged.
 *
 * Unknown top-level fields are refused (a typo such as `destory` would otherwise silently skip the SQL).
 * Every problem becomes `InvalidInput` naming the field, before anything runs.
 */
import * as v from 'valibot';
import { TERRAFORM_LIFECYCLE } from '../../shared/contract';
import { InvalidInput } from '../platform/errors';
import { BATCH_MAX_STATEMENTS, SQL_MAX_BYTES, type SqlParameter } from './invocation-schema';

export type TerraformAction = (typeof TERRAFORM_LIFECYCLE.ACTIONS)[number];
/** Which of the input's SQL fields ran. */
export type SqlField = 'create' | 'update' | 'destroy';

/** SQL to run: one statement (ExecuteStatement, parameters allowed) or several (BatchExecuteStatement, one transaction). */
export type LifecycleSql = { kind: 'single'; sql: string } | { kind: 'batch'; sqls: string[] };

export interface SqlResourceRequest {
  action: TerraformAction;
  /** The SQL field chosen for the action; undefined when there is nothing to run (delete without `destroy`). */
  field?: SqlField;
  sql?: LifecycleSql;
  /** Named parameters for `:name` placeholders, values as strings (the Data API's form). */
  parameters: SqlParameter[];
  /** Whether the provider passed a previous input (update and delete). */
  hasPreviousInput: boolean;
}

const sqlText = v.pipe(
  v.string('must be a string or an array of strings'),
  v.check((text) => text.trim().length > 0, 'must not be empty'),
  v.maxBytes(SQL_MAX_BYTES, `must be at most ${SQL_MAX_BYTES} bytes`),
);

const sqlField = v.union(
  [
    sqlText,
    v.pipe(
      v.array(sqlText, 'must be a string or an array of strings'),
      v.nonEmpty('must hold at least one statement'),
      v.maxLength(BATCH_MAX_STATEMENTS, `must hold at most ${BATCH_MAX_STATEMENTS} statements`),
    ),
  ],
  'must be a SQL string or a non-empty array of SQL strings',
);

const parameterName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'names must be SQL identifiers (letters, digits, underscore)'),
);

const inputSchema = v.strictObject(
  {
    create: sqlField,
    // null = not given: what Terraform's jsonencode writes for an unset optional attribute.
    update: v.nullish(sqlField),
    destroy: v.nullish(sqlField),
    parameters: v.nullish(
      v.pipe(
        v.record(
          parameterName,
          v.union([v.string(), v.number(), v.boolean()], 'values must be strings, numbers or booleans'),
          'must be an object { name: value }',
        ),
        v.check((map) => Object.keys(map).length > 0, 'must not be empty (leave it out instead)'),
      ),
    ),
    [TERRAFORM_LIFECYCLE.KEY]: v.object(
      {
        action: v.picklist(TERRAFORM_LIFECYCLE.ACTIONS, `must be one of ${TERRAFORM_LIFECYCLE.ACTIONS.join(', ')}`),
        prev_input: v.nullish(v.record(v.string(), v.unknown(), 'must be an object or null')),
      },
      'must be an object { action, prev_input }',
    ),
  },
  (issue) =>
    issue.expected === 'never'
      ? 'is not a known field (create, update, destroy, parameters)'
      : issue.received === 'undefined'
        ? 'is required'
        : 'must be a JSON object',
);

const invalid = (field: string, why: string): InvalidInput => new InvalidInput(`${field}: ${why}`);

const toSql = (value: string | string[]): LifecycleSql =>
  typeof value === 'string' ? { kind: 'single', sql: value } : { kind: 'batch', sqls: [...value] };

/** Validates a SQL resource event; throws `InvalidInput` naming the first bad field. */
export function parseSqlResourceEvent(event: unknown): SqlResourceRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw invalid('(input)', 'must be a JSON object');
  const result = v.safeParse(inputSchema, event);
  if (!result.success) {
    const issue = result.issues[0];
    throw invalid(v.getDotPath(issue) ?? '(input)', issue.message);
  }
  const input = result.output;
  const lifecycle = input[TERRAFORM_LIFECYCLE.KEY];
  const parameterMap = input.parameters ?? {};
  const parameters = Object.entries(parameterMap).map(([name, value]) => ({ name, value: String(value) }));

  const fields: Record<SqlField, string | string[] | undefined> = {
    create: input.create,
    update: input.update ?? undefined,
    destroy: input.destroy ?? undefined,
  };
  if (parameters.length > 0) {
    // The Data API takes parameters with ExecuteStatement only, not with BatchExecuteStatement.
    for (const name of ['create', 'update', 'destroy'] as const) {
      if (Array.isArray(fields[name]))
        throw invalid('parameters', `cannot be used when ${name} is an array (BatchExecuteStatement takes no parameters)`);
    }
  }

  const field = fieldFor(lifecycle.action, fields);
  return {
    action: lifecycle.action,
    field,
    sql: field === undefined ? undefined : toSql(fields[field] as string | string[]),
    parameters,
    hasPreviousInput: lifecycle.prev_input !== null && lifecycle.prev_input !== undefined,
  };
}

/**
 * The SQL field an action runs:
 * - create → `create`;
 * - update → `update`, or `create` again when there is no `update` (write `create` so it can run twice,
 *   e.g. `IF NOT EXISTS`; the construct avoids this case by replacing the resource when the SQL changes);
 * - delete → `destroy`, or nothing when there is no `destroy` (the delete just succeeds).
 */
export function fieldFor(action: TerraformAction, fields: Record<SqlField, unknown>): SqlField | undefined {
  switch (action) {
    case 'create':
      return 'create';
    case 'update':
      return fields.update !== undefined ? 'update' : 'create';
    case 'delete':
      return fields.destroy !== undefined ? 'destroy' : undefined;
  }
}

/**
 * The parameters a statement uses: only names that appear as `:name` in the SQL. A destroy statement often
 * needs fewer values than create; the Data API should not be handed values a statement does not mention.
 */
export function parametersUsedBy(sql: string, parameters: readonly SqlParameter[]): SqlParameter[] {
  return parameters.filter((p) => new RegExp(`(^|[^:A-Za-z0-9_]):${p.name}(?![A-Za-z0-9_])`).test(sql));
}
