import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { createHash } from 'node:crypto';
import { TERRAFORM_LIFECYCLE } from '../../functions/shared/contract';
import { parseSqlResourceEvent } from '../../functions/tasker/input/terraform-lifecycle-input';
import {
  DEFINITION_TRIGGER,
  SqlResource,
  SqlResourceConfigurationError,
  sqlResource,
  sqlResourceInput,
  type SqlResourceProps,
} from '../../modules/sql-resource';

type Json = Record<string, any>;

function synth(build: (stack: TerraformStack) => void): { stack: TerraformStack; json: Json; raw: string } {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  const raw = Testing.synth(stack);
  return { stack, json: JSON.parse(raw), raw };
}

const invocations = (json: Json): Json[] => Object.values(json.resource?.aws_lambda_invocation ?? {});
const only = (json: Json): Json => {
  const all = invocations(json);
  expect(all).toHaveLength(1);
  return all[0];
};

describe('SqlResource', () => {
  it('emits one aws_lambda_invocation with the CRUD lifecycle and the input as plain JSON', () => {
    const { json } = synth(
      (stack) => new SqlResource(stack, 'Schema', { functionName: 'tasker', create: 'create schema s', destroy: 'drop schema s' }),
    );
    const invocation = only(json);
    const input = JSON.stringify({ create: 'create schema s', destroy: 'drop schema s' });
    expect(invocation).toEqual({
      function_name: 'tasker',
      input,
      lifecycle_scope: TERRAFORM_LIFECYCLE.SCOPE,
      terraform_key: TERRAFORM_LIFECYCLE.KEY,
      triggers: { [DEFINITION_TRIGGER]: createHash('sha256').update(input).digest('hex') },
    });
    expect(TERRAFORM_LIFECYCLE).toMatchObject({ SCOPE: 'CRUD', KEY: 'tf' });
  });

  it('the input, with the provider lifecycle key added, is what the handler accepts (both sides agree)', () => {
    const options = { create: ['a', 'b'], update: 'u', destroy: 'd' };
    const input = JSON.parse(sqlResourceInput(options));
    expect(parseSqlResourceEvent({ ...input, tf: { action: 'create', prev_input: null } })).toMatchObject({
      field: 'create',
      sql: { kind: 'batch', sqls: ['a', 'b'] },
    });
    expect(parseSqlResourceEvent({ ...input, tf: { action: 'delete', prev_input: input } })).toMatchObject({ field: 'destroy' });
    const withParameters = JSON.parse(sqlResourceInput({ create: 'select :n', parameters: { n: 1, flag: true } }));
    expect(parseSqlResourceEvent({ ...withParameters, tf: { action: 'update', prev_input: {} } }).parameters).toEqual([
      { name: 'n', value: '1' },
      { name: 'flag', value: 'true' },
    ]);
  });

  it('with update SQL a change applies in place: no definition trigger, user triggers kept', () => {
    const { json } = synth((stack) =>
      sqlResource(stack, 'User', { functionName: 'tasker', create: 'c', update: 'u', triggers: { name: 'x' } }),
    );
    expect(only(json).triggers).toEqual({ name: 'x' });
    expect(JSON.parse(only(json).input)).toEqual({ create: 'c', update: 'u' });
  });

  it('without update SQL a changed definition changes the trigger (Terraform replaces the resource)', () => {
    const triggerOf = (options: Partial<SqlResourceProps>): string =>
      only(synth((stack) => new SqlResource(stack, 'R', { functionName: 'tasker', create: 'c', ...options })).json).triggers[
        DEFINITION_TRIGGER
      ];
    const base = triggerOf({});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(triggerOf({})).toBe(base);
    expect(triggerOf({ create: 'c2' })).not.toBe(base);
    expect(triggerOf({ destroy: 'd' })).not.toBe(base);
    expect(triggerOf({ create: 'select :p', parameters: { p: 1 } })).not.toBe(triggerOf({ create: 'select :p', parameters: { p: 2 } }));
  });

  it('values known only at apply time go through jsonencode, and the trigger through sha256', () => {
    const { json } = synth((stack) => {
      const schema = new TerraformVariable(stack, 'schema', { type: 'string' });
      new SqlResource(stack, 'R', { functionName: 'tasker', create: [`create schema ${schema.stringValue}`], destroy: 'drop schema x' });
    });
    const invocation = only(json);
    expect(invocation.input).toBe('${jsonencode({"create" = ["create schema ${var.schema}"], "destroy" = "drop schema x"})}');
    expect(invocation.triggers[DEFINITION_TRIGGER]).toBe(
      '${sha256(jsonencode({"create" = ["create schema ${var.schema}"], "destroy" = "drop schema x"}))}',
    );
  });

  it('depends_on, function reference and result/statementId expressions', () => {
    let second: SqlResource | undefined;
    const { json } = synth((stack) => {
      const first = new SqlResource(stack, 'First', { functionName: 'tasker', create: 'c' });
      second = new SqlResource(stack, 'Second', { functionName: 'tasker', create: 'c2', dependsOn: [first.invocation] });
      new TerraformOutput(stack, 'result', { value: second.result });
      new TerraformOutput(stack, 'statement_id', { value: second.statementId });
    });
    const byId = json.resource.aws_lambda_invocation as Record<string, Json>;
    const firstId = Object.keys(byId).find((id) => id.startsWith('First_')) as string;
    const secondId = Object.keys(byId).find((id) => id.startsWith('Second_')) as string;
    expect(byId[secondId].depends_on).toEqual([`aws_lambda_invocation.${firstId}`]);
    expect(byId[firstId].depends_on).toBeUndefined();
    expect(second!.invocation.terraformResourceType).toBe('aws_lambda_invocation');
    expect(json.output.result.value).toBe(`\${aws_lambda_invocation.${secondId}.result}`);
    expect(json.output.statement_id.value).toMatch(
      new RegExp(`^\\$\\{.*jsondecode\\(aws_lambda_invocation\\.${secondId}\\.result\\).*statementId`),
    );
  });

  it('synthesises the same bytes twice', () => {
    const build = (stack: TerraformStack): void => {
      new SqlResource(stack, 'A', { functionName: 'tasker', create: ['x', 'y'], destroy: 'z', triggers: { k: 'v' } });
    };
    expect(synth(build).raw).toBe(synth(build).raw);
  });

  it.each<[string, Partial<SqlResourceProps>, string[]]>([
    ['no create', { create: undefined }, ['create: is required']],
    ['empty create', { create: '  ' }, ['create: must not be empty']],
    ['empty array', { create: [] }, ['create: must hold at least one statement']],
    ['41 statements', { create: Array.from({ length: 41 }, () => 'select 1') }, ['create: must hold at most 40 statements']],
    ['a non-string in an array', { create: ['select 1', 2 as unknown as string] }, ['create[1]: must be a SQL string']],
    ['too long', { destroy: 'x'.repeat(100_001) }, ['destroy: must be at most 100000 bytes']],
    ['empty update', { update: '' }, ['update: must not be empty']],
    ['empty parameters', { parameters: {} }, ['parameters: must not be empty (leave it out instead)']],
    ['bad parameter name', { parameters: { 'a-b': 1 } }, ['parameters.a-b: names must be SQL identifiers (letters, digits, underscore)']],
    [
      'bad parameter value',
      { parameters: { a: null as unknown as string } },
      ['parameters.a: values must be strings, numbers or booleans'],
    ],
    [
      'parameters with a batch',
      { create: ['a'], parameters: { a: 1 } },
      ['parameters: cannot be used when create is an array (BatchExecuteStatement takes no parameters)'],
    ],
    [
      'reserved trigger',
      { triggers: { [DEFINITION_TRIGGER]: 'x' } },
      [`triggers.${DEFINITION_TRIGGER}: is reserved (the definition's hash when there is no update SQL)`],
    ],
    ['empty function name', { functionName: ' ' }, ['functionName: must be the tasker function name or ARN']],
    ['several problems at once', { create: '', destroy: [] }, ['create: must not be empty', 'destroy: must hold at least one statement']],
  ])('%s → SqlResourceConfigurationError listing the problems, nothing added', (_name, overrides, problems) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    let error: unknown;
    try {
      new SqlResource(stack, 'Bad', { functionName: 'tasker', create: 'select 1', ...overrides } as SqlResourceProps);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqlResourceConfigurationError);
    expect((error as SqlResourceConfigurationError).problems).toEqual(problems);
    expect((error as Error).message).toContain(`Invalid SqlResource options for 'Bad'`);
    expect(stack.node.tryFindChild('Bad')).toBeUndefined();
  });

  it('a stack of SQL resources is valid Terraform (init + validate, offline)', () => {
    const stack = new TerraformStack(Testing.app(), 'valid');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const schema = new TerraformVariable(stack, 'schema', { type: 'string', default: 's' });
    const first = new SqlResource(stack, 'Plain', {
      functionName: 'tasker',
      create: 'create schema a',
      destroy: 'drop schema a',
      parameters: { p: 1 },
    });
    new SqlResource(stack, 'WithToken', {
      functionName: 'tasker',
      create: [`create schema ${schema.stringValue}`, 'select 1'],
      update: 'select 2',
      triggers: { t: '1' },
      dependsOn: [first.invocation],
    });
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
