/**
 * The module's `sql_resources` input: SQL run by `terraform apply` / `destroy` (the construct's
 * `tasker.sqlResource(...)`, as a map plain-Terraform users write).
 *
 * Where each part lives:
 * - the module declares the input (type `any`, so `create` can be a string or a list, and so a
 *   misspelt field such as `destory` is refused instead of silently dropped as an object type would),
 *   checks it, and turns it into `local.sql_resource_invocations` (locals below): per entry the
 *   invocation's JSON input (nulls dropped), its stage and whether a change replaces it;
 * - the module holds one `aws_lambda_invocation` per stage (`for_each` over that stage's entries),
 *   depending on the tasker's role policy and on the previous stage (`sqlResourceStages` in
 *   tasker-module-stack.ts).
 *
 * Ordering: a `for_each` resource cannot depend on its own instances, so `depends_on_keys` is turned into
 * stages: an entry runs in the first stage after every entry it names. Stage n+1 is created after the
 * whole of stage n and destroyed before it. Entries of one stage run in parallel.
 */
import type { ModuleInput } from './module-input';

/** Stages `depends_on_keys` may form (chains longer than this are refused at plan time). */
export const SQL_RESOURCE_STAGES = 4;
/** The module input callers write. */
export const SQL_RESOURCES_INPUT = 'sql_resources';
/** The local the module fills from `sql_resources` (normalised: JSON input, stage, replace). */
export const SQL_INVOCATIONS_INPUT = 'sql_resource_invocations';
export const SQL_INVOCATIONS_TYPE = 'map(object({ input = string, stage = number, replace_on_change = bool }))';
/** The output with the handler's answers. */
export const SQL_RESULTS_OUTPUT = 'sql_resource_results';
export const SQL_RESULTS_DESCRIPTION =
  "The handler's answer per sql_resources key, decoded: { action, ran, state, statementId, rows, hasResultSet, durationMs }.";
/** Same limits as the handler and the construct. */
const BATCH_MAX_STATEMENTS = 40;
const SQL_FIELDS = ['create', 'update', 'destroy'] as const;
const ENTRY_FIELDS = [...SQL_FIELDS, 'parameters', 'depends_on_keys'] as const;

const V = `var.${SQL_RESOURCES_INPUT}`;
const hclStrings = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
/** True for every entry of the map (false when the input is not a map of objects); null passes. */
const everyEntry = (test: string): string => `${V} == null || try(alltrue([for key, entry in ${V} : ${test}]), false)`;
/** `expr` is one non-empty SQL string or a list of 1 to 40 of them. */
const sqlText = (expr: string): string =>
  `(try(length(trimspace(${expr})) > 0, false) || try(length(${expr}) >= 1 && length(${expr}) <= ${BATCH_MAX_STATEMENTS} && ` +
  `alltrue([for s in ${expr} : length(trimspace(s)) > 0]), false))`;
const optionalField = (field: string): string => `try(entry.${field}, null)`;

export const SQL_RESOURCES_MODULE_INPUT: ModuleInput = {
  name: SQL_RESOURCES_INPUT,
  type: 'any',
  description:
    'SQL run by terraform apply and destroy, as a map of key => { create = SQL, update = optional SQL, destroy = optional SQL, ' +
    'parameters = optional map of :name values, depends_on_keys = optional list of other keys }. SQL is a string or a list of ' +
    `up to ${BATCH_MAX_STATEMENTS} strings run as one transaction. Without update, a changed entry is replaced (old destroy, then new ` +
    `create). ` +
    `Entries run in parallel unless ordered by depends_on_keys (at most ${SQL_RESOURCE_STAGES} levels). Values are stored in the state: ` +
    `no secrets. null runs nothing.`,
  default: null,
  validation: [
    {
      condition: everyEntry(`length(setsubtract(keys(entry), ${hclStrings(ENTRY_FIELDS)})) == 0 && contains(keys(entry), "create")`),
      errorMessage:
        `Each sql_resources entry must be an object with create and optionally update, destroy, parameters, depends_on_keys ` +
        `(check the spelling of its fields).`,
    },
    {
      condition: everyEntry(
        `${sqlText('entry.create')} && alltrue([for f in ["update", "destroy"] : try(entry[f], null) == null ? true : ` +
          `${sqlText('entry[f]')}])`,
      ),
      errorMessage:
        `In sql_resources, create, update and destroy must each be a SQL string or a list of 1 to ${BATCH_MAX_STATEMENTS} ` +
        `SQL strings, none empty.`,
    },
    {
      condition: everyEntry(
        `${optionalField('parameters')} == null ? true : (length(entry.parameters) > 0 && ` +
          `alltrue([for name, value in entry.parameters : can(regex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", name)) && can(tostring(value))]) ` +
          `&& ` +
          `alltrue([for f in ${hclStrings(SQL_FIELDS)} : try(entry[f], null) == null ? true : can(tostring(entry[f]))]))`,
      ),
      errorMessage:
        'In sql_resources, parameters must be a non-empty map from SQL identifiers to strings, numbers or booleans, and only go with ' +
        'single-statement SQL (not lists).',
    },
    {
      condition: everyEntry(
        `${optionalField('depends_on_keys')} == null ? true : alltrue([for d in entry.depends_on_keys : contains(keys(${V}), d) && d != ` +
          `key])`,
      ),
      errorMessage: 'In sql_resources, depends_on_keys must list other keys of sql_resources.',
    },
  ],
};

/** Name of the local holding the keys of stage `stage`. */
export const stageLocal = (stage: number): string => `sql_resource_stage_${stage}`;

/**
 * The parent module's locals, name => Terraform expression (without `${}`): the entries' dependencies,
 * the keys of each stage, the keys no stage takes (a cycle or a chain too deep) and the invocations.
 */
export function sqlResourceLocals(): Record<string, string> {
  const locals: Record<string, string> = {
    // merge: null (even a typed null, e.g. from a caller's conditional) becomes an empty map.
    sql_resource_entries: `merge({}, ${V})`,
    sql_resource_dependencies: `{ for key, entry in local.sql_resource_entries : key => try(tolist(entry.depends_on_keys), []) }`,
  };
  const earlier: string[] = [];
  for (let stage = 0; stage < SQL_RESOURCE_STAGES; stage++) {
    const done = `concat(${earlier.map((name) => `local.${name}`).join(', ')})`;
    locals[stageLocal(stage)] =
      stage === 0
        ? '[for key, deps in local.sql_resource_dependencies : key if length(deps) == 0]'
        : `[for key, deps in local.sql_resource_dependencies : key if !contains(${done}, key) && length(setsubtract(deps, ${done})) == 0]`;
    earlier.push(stageLocal(stage));
  }
  const all = `concat(${earlier.map((name) => `local.${name}`).join(', ')})`;
  locals.sql_resource_unordered = `[for key, deps in local.sql_resource_dependencies : key if !contains(${all}, key)]`;
  const stageOf = earlier.slice(1).reduceRight((rest, name, index) => `(contains(local.${name}, key) ? ${index + 1} : ${rest})`, '-1');
  // The handler reads null as "not given"; dropping nulls keeps the stored input to what was written.
  const payload = `{ for f in ${hclStrings([...SQL_FIELDS, 'parameters'])} : f => entry[f] if try(entry[f], null) != null }`;
  locals[SQL_INVOCATIONS_INPUT] =
    `{ for key, entry in local.sql_resource_entries : key => { input = jsonencode(${payload}), ` +
    `stage = contains(local.${stageLocal(0)}, key) ? 0 : ${stageOf}, replace_on_change = try(entry.update, null) == null } }`;
  return locals;
}

/** The precondition of the results output: every entry found a stage. */
export const SQL_STAGES_PRECONDITION = {
  condition: 'length(local.sql_resource_unordered) == 0',
  errorMessage:
    `The depends_on_keys of these sql_resources form a cycle or a chain longer than ${SQL_RESOURCE_STAGES}: \${join(", ", ` +
    `local.sql_resource_unordered)}.`,
};
