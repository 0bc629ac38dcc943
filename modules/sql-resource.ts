/**
 * `SqlResource`: SQL run by `terraform apply` and `terraform destroy`, as a Terraform resource.
 *
 * Emits an `aws_lambda_invocation` with `lifecycle_scope = "CRUD"` that invokes the tasker function. The AWS
 * provider invokes it synchronously on create, update and delete and adds `tf: { action, prev_input }` to the
 * input; the handler (functions/tasker/routes/terraform-lifecycle.ts) runs the matching SQL to completion and
 * answers a small JSON result, which Terraform stores in `result`. A failed statement fails the apply with
 * the Redshift error text. Statements must finish within the function's timeout.
 *
 * Changes: with `update` SQL, a changed definition is applied in place by running `update`. Without it, a
 * changed definition replaces the resource: Terraform runs the old `destroy`, then the new `create`
 * (a `sql_sha256` trigger holds the definition's hash). Changing `triggers` always replaces.
 */
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { Fn, type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { TERRAFORM_LIFECYCLE } from '../functions/shared/contract';

/** One SQL statement, or several run by BatchExecuteStatement as one transaction (at most 40). */
export type SqlText = string | string[];

/** What a SQL resource runs; `tasker.sqlResource(id, options)` takes these. */
export interface SqlResourceOptions {
  /** SQL run when the resource is created (and when it is replaced). Required. */
  readonly create: SqlText;
  /**
   * SQL run when the definition (`create`, `destroy`, `parameters` or this) changes in place.
   * @default none — a changed definition replaces the resource instead (old `destroy`, then new `create`)
   */
  readonly update?: SqlText;
  /**
   * SQL run when the resource is destroyed (and before a replacement's `create`). It runs with the
   * definition stored in the Terraform state, so it undoes what that definition created.
   * @default none — destroying the resource runs nothing
   */
  readonly destroy?: SqlText;
  /**
   * Named parameters for `:name` placeholders, only with single-statement SQL (not arrays). Each statement
   * receives the parameters it mentions. Values are stored in the Terraform state: no secrets here.
   * Redshift accepts parameters where values go (not in DDL identifiers).
   * @default none
   */
  readonly parameters?: Record<string, string | number | boolean>;
  /** Arbitrary values whose change replaces the resource (runs `destroy`, then `create`). @default none */
  readonly triggers?: Record<string, string>;
  /**
   * Resources that must exist before the SQL runs and be destroyed after its `destroy` ran, e.g. another
   * SQL resource (a grant after its schema and user). @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export interface SqlResourceProps extends SqlResourceOptions {
  /** Name or ARN of the tasker function to invoke (`tasker.lambdaFunction.functionName`). */
  readonly functionName: string;
}

/** Invalid SQL resource options; lists every problem. Thrown before anything joins the construct tree. */
export class SqlResourceConfigurationError extends Error {
  public readonly problems: readonly string[];

  constructor(constructId: string, problems: readonly string[]) {
    super(`Invalid SqlResource options for '${constructId}':\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SqlResourceConfigurationError';
    this.problems = problems;
  }
}

/** Trigger key holding the definition's hash when there is no `update` SQL (a change replaces the resource). */
export const DEFINITION_TRIGGER = 'sql_sha256';
/** Same limits as the handler: a statement ≤ 100 KB, a batch ≤ 40 statements. */
const SQL_MAX_BYTES = 100_000;
const BATCH_MAX_STATEMENTS = 40;
/** The provider sends the input twice on update (input + prev_input); Lambda takes at most 6 MB. */
const INPUT_MAX_BYTES = 3_000_000;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export class SqlResource extends Construct {
  /** The `aws_lambda_invocation` resource. */
  public readonly invocation: LambdaInvocation;
  /**
   * The handler's answer as JSON text (Terraform's `result`): `{ action, ran, state, statementId, rows,
   * hasResultSet, durationMs }`.
   */
  public readonly result: string;

  constructor(scope: Construct, id: string, props: SqlResourceProps) {
    // Validate first, so bad options leave no trace in the stack.
    const problems = sqlResourceProblems(props);
    if (problems.length > 0) throw new SqlResourceConfigurationError(id, problems);
    super(scope, id);

    const input = sqlResourceInput(props);
    const triggers: Record<string, string> = { ...(props.triggers ?? {}) };
    if (props.update === undefined) {
      triggers[DEFINITION_TRIGGER] = Token.isUnresolved(input) ? Fn.sha256(input) : createHash('sha256').update(input).digest('hex');
    }

    this.invocation = new LambdaInvocation(this, 'Invocation', {
      functionName: props.functionName,
      input,
      lifecycleScope: TERRAFORM_LIFECYCLE.SCOPE,
      terraformKey: TERRAFORM_LIFECYCLE.KEY,
      triggers: Object.keys(triggers).length > 0 ? triggers : undefined,
      dependsOn: props.dependsOn,
    });
    this.result = this.invocation.result;
  }

  /** The id of the statement the last create/update ran (from `result`). */
  public get statementId(): string {
    return Fn.lookup(Fn.jsondecode(this.result), 'statementId', '') as string;
  }
}

/** Adds a SQL resource invoking `props.functionName` to `scope` (the same as `new SqlResource(...)`). */
export function sqlResource(scope: Construct, id: string, props: SqlResourceProps): SqlResource {
  return new SqlResource(scope, id, props);
}

/**
 * The invocation's input: `{ create, update?, destroy?, parameters? }` as JSON. Plain JSON when every value
 * is known at synth time (readable in the plan); a `jsonencode(...)` expression when a value references
 * another resource, so Terraform escapes it correctly.
 */
export function sqlResourceInput(options: SqlResourceOptions): string {
  const payload: Record<string, unknown> = { create: options.create };
  if (options.update !== undefined) payload.update = options.update;
  if (options.destroy !== undefined) payload.destroy = options.destroy;
  if (options.parameters !== undefined) payload.parameters = options.parameters;
  return containsToken(payload) ? Fn.jsonencode(payload) : JSON.stringify(payload);
}

const containsToken = (value: unknown): boolean =>
  typeof value === 'string'
    ? Token.isUnresolved(value)
    : Array.isArray(value)
      ? Token.isUnresolved(value) || value.some(containsToken)
      : typeof value === 'object' && value !== null
        ? Object.entries(value).some(([key, item]) => Token.isUnresolved(key) || containsToken(item))
        : typeof value === 'number' && Token.isUnresolved(value);

/** Every problem with the options (values only known at apply time are not checked here). */
export function sqlResourceProblems(props: SqlResourceProps): string[] {
  const problems: string[] = [];
  if (typeof props.functionName !== 'string' || (!Token.isUnresolved(props.functionName) && props.functionName.trim() === '')) {
    problems.push('functionName: must be the tasker function name or ARN');
  }
  const checkSql = (field: 'create' | 'update' | 'destroy', value: unknown, required: boolean): void => {
    if (value === undefined) {
      if (required) problems.push(`${field}: is required`);
      return;
    }
    const checkText = (text: unknown, where: string): void => {
      if (typeof text !== 'string') problems.push(`${where}: must be a SQL string`);
      else if (Token.isUnresolved(text)) return;
      else if (text.trim() === '') problems.push(`${where}: must not be empty`);
      else if (Buffer.byteLength(text) > SQL_MAX_BYTES) problems.push(`${where}: must be at most ${SQL_MAX_BYTES} bytes`);
    };
    if (Array.isArray(value)) {
      if (Token.isUnresolved(value)) return;
      if (value.length === 0) problems.push(`${field}: must hold at least one statement`);
      if (value.length > BATCH_MAX_STATEMENTS) problems.push(`${field}: must hold at most ${BATCH_MAX_STATEMENTS} statements`);
      for (const [index, text] of value.entries()) checkText(text, `${field}[${index}]`);
    } else {
      checkText(value, field);
    }
  };
  checkSql('create', props.create, true);
  checkSql('update', props.update, false);
  checkSql('destroy', props.destroy, false);

  if (props.parameters !== undefined) {
    const entries = Object.entries(props.parameters);
    if (entries.length === 0) problems.push('parameters: must not be empty (leave it out instead)');
    for (const [name, value] of entries) {
      if (!PARAMETER_NAME.test(name)) problems.push(`parameters.${name}: names must be SQL identifiers (letters, digits, underscore)`);
      if (!['string', 'number', 'boolean'].includes(typeof value))
        problems.push(`parameters.${name}: values must be strings, numbers or booleans`);
    }
    for (const field of ['create', 'update', 'destroy'] as const) {
      if (Array.isArray(props[field]))
        problems.push(`parameters: cannot be used when ${field} is an array (BatchExecuteStatement takes no parameters)`);
    }
  }
  for (const [key, value] of Object.entries(props.triggers ?? {})) {
    if (key === DEFINITION_TRIGGER) problems.push(`triggers.${key}: is reserved (the definition's hash when there is no update SQL)`);
    if (typeof value !== 'string') problems.push(`triggers.${key}: must be a string`);
  }
  if (problems.length === 0) {
    const input = sqlResourceInput(props);
    if (!Token.isUnresolved(input) && Buffer.byteLength(input) > INPUT_MAX_BYTES) {
      problems.push(
        `the SQL and parameters must stay under ${INPUT_MAX_BYTES} bytes of JSON (Lambda's 6 MB payload limit, sent twice on update)`,
      );
    }
  }
  return problems;
}
