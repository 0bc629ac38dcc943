/**
 * The `sql_resources` input's pieces as TypeScript sees them; Terraform runs them in
 * module-inputs.test.ts (validation messages) and examples/plain-terraform (plan).
 */
import {
  SQL_RESOURCE_STAGES,
  SQL_RESOURCES_MODULE_INPUT,
  SQL_STAGES_PRECONDITION,
  sqlResourceLocals,
  stageLocal,
} from '../../module-builder/sql-resources-input';

describe('sql_resources input', () => {
  it('is optional (null runs nothing) and holds for null in every check', () => {
    expect(SQL_RESOURCES_MODULE_INPUT.default).toBeNull();
    for (const check of SQL_RESOURCES_MODULE_INPUT.validation ?? [])
      expect(check.condition.startsWith('var.sql_resources == null || try(')).toBe(true);
  });

  it('computes one local per stage, each taking keys whose dependencies all sit in earlier stages', () => {
    const locals = sqlResourceLocals();
    expect(locals.sql_resource_entries).toBe('merge({}, var.sql_resources)');
    expect(locals[stageLocal(0)]).toContain('if length(deps) == 0');
    for (let stage = 1; stage < SQL_RESOURCE_STAGES; stage++) {
      const earlier = Array.from({ length: stage }, (_, i) => `local.${stageLocal(i)}`).join(', ');
      expect(locals[stageLocal(stage)]).toContain(`length(setsubtract(deps, concat(${earlier}))) == 0`);
    }
    expect(locals[stageLocal(SQL_RESOURCE_STAGES)]).toBeUndefined();
    expect(locals.sql_resource_unordered).toContain(`local.${stageLocal(SQL_RESOURCE_STAGES - 1)}`);
    expect(SQL_STAGES_PRECONDITION.condition).toBe('length(local.sql_resource_unordered) == 0');
  });

  it('drops null fields from the input (the handler refuses unknown fields, reads null as not given) and replaces without update', () => {
    const invocations = sqlResourceLocals().sql_resource_invocations;
    expect(invocations).toContain(
      'jsonencode({ for f in ["create", "update", "destroy", "parameters"] : f => entry[f] if try(entry[f], null) != null })',
    );
    expect(invocations).toContain('replace_on_change = try(entry.update, null) == null');
    expect(invocations).toContain(`(contains(local.${stageLocal(SQL_RESOURCE_STAGES - 1)}, key) ? ${SQL_RESOURCE_STAGES - 1} : -1)`);
  });
});
