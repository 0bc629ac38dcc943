/**
 * The module's input checks, run by Terraform itself: a missing required input and invalid values
 * fail with Terraform's own messages (the `validation` blocks of module-inputs.ts), offline.
 */
import { join } from 'node:path';
import { MODULE_INPUTS } from '../../module-builder/module-inputs';
import { buildModuleIn, describeIfTerraform, flatten, initRootModule, scratchDir, terraform } from './support/terraform-module-fixture';

describe('MODULE_INPUTS', () => {
  it('names every input in snake_case, once, with a description', () => {
    const names = MODULE_INPUTS.map((input) => input.name);
    expect(new Set(names).size).toBe(names.length);
    for (const input of MODULE_INPUTS) {
      expect(input.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(input.description.length).toBeGreaterThan(10);
    }
  });

  it('makes only the database and the name prefix required', () => {
    const required = MODULE_INPUTS.filter((input) => !Object.hasOwn(input, 'default')).map((input) => input.name);
    expect(required.sort()).toEqual(['database', 'name_prefix']);
  });
});

describeIfTerraform("module input checks (Terraform's own messages)", () => {
  const root = scratchDir('module-inputs');

  beforeAll(() => {
    buildModuleIn(root);
  });

  /** A root module in `<root>/<name>` holding `moduleBlocks`, initialised. */
  const caller = (name: string, moduleBlocks: string): string => initRootModule(join(root, name), moduleBlocks);

  const call = (name: string, extra: string, namePrefix = name.replace(/_/g, '-')): string => `module "${name}" {
  source      = "../terraform-module"
  name_prefix = "${namePrefix}"
  database    = "dev"
${extra}}
`;

  it('a missing required input fails validate, naming the argument', () => {
    const dir = caller(
      'missing',
      `module "tasker" {
  source             = "../terraform-module"
  name_prefix        = "etl"
  cluster_identifier = "analytics"
  db_user            = "etl_user"
}
`,
    );
    const run = terraform(dir, ['validate', '-no-color']);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('Missing required argument');
    expect(run.output).toContain('The argument "database" is required, but no definition was found.');
  });

  it('invalid values fail plan with the validation messages', () => {
    const dir = caller(
      'invalid',
      [
        call('bad_log_level', '  cluster_identifier = "analytics"\n  db_user = "etl"\n  log_level = "VERBOSE"\n'),
        call('bad_receive_count', '  workgroup_name = "reporting"\n  max_receive_count = 0\n'),
        call('bad_memory', '  workgroup_name = "reporting"\n  lambda_memory_size = 64\n'),
        call('bad_fast_path', '  workgroup_name = "reporting"\n  fast_path_seconds = 31\n'),
        call('bad_prefix', '  workgroup_name = "reporting"\n', '9lives'),
        call(
          'bad_state_machines',
          '  workgroup_name = "reporting"\n  state_machine_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:f"]\n',
        ),
        call(
          'misspelt_sql_field',
          '  workgroup_name = "reporting"\n  sql_resources = { s = { create = "CREATE SCHEMA s", destory = "DROP SCHEMA s" } }\n',
        ),
        call(
          'empty_sql',
          '  workgroup_name = "reporting"\n  sql_resources = { s = { create = [] }, t = { create = "SELECT 1", update = " " } }\n',
        ),
        call(
          'batch_parameters',
          '  workgroup_name = "reporting"\n  sql_resources = { s = { create = ["SELECT :a", "SELECT 2"], parameters = { a = "1" } } }\n',
        ),
        call(
          'unknown_dependency',
          '  workgroup_name = "reporting"\n  sql_resources = { s = { create = "SELECT 1", depends_on_keys = ["nope"] } }\n',
        ),
      ].join('\n'),
    );
    const run = terraform(dir, ['plan', '-input=false', '-no-color']);
    expect(run.status).not.toBe(0);
    const text = flatten(run.output);
    expect(text).toContain('Invalid value for variable');
    expect(text).toContain('log_level must be one of DEBUG, INFO, WARN, ERROR.');
    expect(text).toContain('max_receive_count must be a whole number from 1 to 1000.');
    expect(text).toContain('lambda_memory_size must be a whole number from 128 to 10240.');
    expect(text).toContain('fast_path_seconds must be a whole number from 0 to 30.');
    expect(text).toContain("name_prefix must be 1 to 40 letters, digits, '-' or '_', starting with a letter.");
    expect(text).toContain(
      'state_machine_arns must be null (every state machine in the account and region) or a non-empty list of state machine ARNs',
    );
    expect(text).toContain(
      'Each sql_resources entry must be an object with create and optionally update, destroy, parameters, depends_on_keys',
    );
    expect(text).toContain(
      'In sql_resources, create, update and destroy must each be a SQL string or a list of 1 to 40 SQL strings, none empty.',
    );
    expect(text).toContain('In sql_resources, parameters must be a non-empty map from SQL identifiers to strings, numbers or booleans');
    expect(text).toContain('In sql_resources, depends_on_keys must list other keys of sql_resources.');
    // Each bad module block fails on its own input only: one message per block.
    expect(text.match(/Invalid value for variable/g)).toHaveLength(10);
  });

  it('inputs that contradict each other fail plan with the cross-input messages', () => {
    const dir = caller(
      'contradicting',
      [
        call('both_targets', '  cluster_identifier = "analytics"\n  workgroup_name = "reporting"\n  db_user = "etl"\n'),
        call('no_credentials', '  cluster_identifier = "analytics"\n'),
        call('workgroup_user', '  workgroup_name = "reporting"\n  db_user = "etl"\n'),
        call(
          'sql_cycle',
          '  workgroup_name = "reporting"\n  sql_resources = {\n' +
            '    a = { create = "SELECT 1", depends_on_keys = ["b"] }\n    b = { create = "SELECT 2", depends_on_keys = ["a"] }\n' +
            '    c = { create = "SELECT 3" }\n  }\n',
        ),
      ].join('\n'),
    );
    const run = terraform(dir, ['plan', '-input=false', '-no-color']);
    expect(run.status).not.toBe(0);
    const text = flatten(run.output);
    // The messages come from the shared TARGET_RULES, as the construct's and the handler's do.
    expect(text).toContain(
      'The Redshift target needs exactly one of cluster_identifier and workgroup_name (a provisioned cluster or a Serverless workgroup).',
    );
    expect(text).toContain(
      'A cluster target needs exactly one of db_user and secret_arn (temporary credentials for a database user, or a secret).',
    );
    expect(text).toContain("A workgroup target takes no db_user: it uses the function's IAM identity");
    expect(text).toContain('The depends_on_keys of these sql_resources form a cycle or a chain longer than 4: a, b.');
  });
});
