import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import {
  definition,
  InvalidDefinitionError,
  InvalidStateMachinePropsError,
  pass,
  serializeDefinition,
  sqlTask,
  TaskerStateMachine,
  type StateMachineDefinition,
} from '../../../modules/sfn';
import { stackWithStubTasker } from '../../support/stub-tasker-stack';
import { TASKER_ARN } from './asl-validate';

type Synth = { resource: Record<string, Record<string, Record<string, unknown>>> };

function synth(build: (scope: Construct) => void): Synth {
  return JSON.parse(Testing.synthScope(build)) as Synth;
}

function onlyResource(out: Synth, type: string): Record<string, unknown> {
  const resources = Object.values(out.resource[type] ?? {});
  expect(resources).toHaveLength(1);
  return resources[0];
}

function simpleDefinition(arn: string): StateMachineDefinition {
  return definition({ states: [sqlTask(arn, 'Run', { sql: 'SELECT 1', catchFailed: 'Failed' }), pass('Failed')] });
}

describe('TaskerStateMachine', () => {
  it('creates a STANDARD state machine whose definition is the given one, and nothing beyond role and policy', () => {
    const machine = simpleDefinition(TASKER_ARN);
    const out = synth((scope) => new TaskerStateMachine(scope, 'nightly', { taskerFunctionArn: TASKER_ARN, definition: machine }));
    expect(Object.keys(out.resource).sort()).toEqual(['aws_iam_role', 'aws_iam_role_policy', 'aws_sfn_state_machine']);
    const sfn = onlyResource(out, 'aws_sfn_state_machine');
    expect(sfn.type).toBe('STANDARD');
    expect(sfn.name).toBe('nightly');
    expect(sfn.role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
    expect(JSON.parse(sfn.definition as string)).toEqual(machine);
    expect(sfn).not.toHaveProperty('logging_configuration');
  });

  it('gives the role exactly lambda:InvokeFunction on the tasker function and its versions', () => {
    const out = synth(
      (scope) => new TaskerStateMachine(scope, 'nightly', { taskerFunctionArn: TASKER_ARN, definition: simpleDefinition(TASKER_ARN) }),
    );
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.[\w-]+\.id\}$/);
    expect(JSON.parse(policy.policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'InvokeTasker', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [TASKER_ARN, `${TASKER_ARN}:*`] }],
    });
    const role = onlyResource(out, 'aws_iam_role');
    expect(role.name).toBe('nightly-role');
    expect(role).not.toHaveProperty('managed_policy_arns');
    expect(role).not.toHaveProperty('inline_policy');
  });

  it('trusts states.amazonaws.com for the account read from a literal function ARN', () => {
    const out = synth(
      (scope) => new TaskerStateMachine(scope, 'm', { taskerFunctionArn: TASKER_ARN, definition: simpleDefinition(TASKER_ARN) }),
    );
    expect(JSON.parse(onlyResource(out, 'aws_iam_role').assume_role_policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ],
    });
  });

  it('uses sourceAccount when given, and no condition for a function given by name', () => {
    const given = synth(
      (scope) =>
        new TaskerStateMachine(scope, 'm', {
          taskerFunctionArn: TASKER_ARN,
          sourceAccount: '210987654321',
          definition: simpleDefinition(TASKER_ARN),
        }),
    );
    expect(onlyResource(given, 'aws_iam_role').assume_role_policy).toContain('"aws:SourceAccount":"210987654321"');
    const byName = synth(
      (scope) => new TaskerStateMachine(scope, 'm', { taskerFunctionArn: 'tasker', definition: simpleDefinition('tasker') }),
    );
    expect(JSON.parse(onlyResource(byName, 'aws_iam_role').assume_role_policy as string).Statement[0]).not.toHaveProperty('Condition');
  });

  it('resolves a function ARN token in the definition, the policy and the trust condition', () => {
    const out = synth((scope) => {
      const fn = new LambdaFunction(scope, 'tasker', {
        functionName: 'tasker',
        role: 'arn:aws:iam::123456789012:role/r',
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        filename: 'tasker.zip',
      });
      new TaskerStateMachine(scope, 'm', { taskerFunctionArn: fn.arn, definition: simpleDefinition(fn.arn) });
    });
    const definitionText = onlyResource(out, 'aws_sfn_state_machine').definition as string;
    expect(JSON.parse(definitionText).States.Run.Parameters.FunctionName).toBe('${aws_lambda_function.tasker.arn}');
    expect(JSON.parse(onlyResource(out, 'aws_iam_role_policy').policy as string).Statement[0].Resource).toEqual([
      '${aws_lambda_function.tasker.arn}',
      '${aws_lambda_function.tasker.arn}:*',
    ]);
    // The interpolation holds HCL quotes, so the text is JSON only once Terraform has evaluated it.
    expect(onlyResource(out, 'aws_iam_role').assume_role_policy).toContain(
      '"Condition":{"StringEquals":{"aws:SourceAccount":"${element(split(":", aws_lambda_function.tasker.arn), 4)}"}}',
    );
  });

  it('escapes Terraform template syntax in literal text but not in tokens', () => {
    const machine = definition({
      comment: 'costs %{pct}',
      states: [sqlTask(TASKER_ARN, 'Run', { sql: "SELECT '${not_terraform}' AS x" })],
    });
    const text = serializeDefinition(machine);
    expect(text).toContain("SELECT '$${not_terraform}' AS x");
    expect(text).toContain('costs %%{pct}');
    expect(serializeDefinition(simpleDefinition('${TfToken[TOKEN.7]}'))).toContain('"FunctionName":"${TfToken[TOKEN.7]}"');
    // The caller's definition object is not changed.
    expect(machine.Comment).toBe('costs %{pct}');
  });

  it('adds a log group and log delivery permissions only with logging', () => {
    const out = synth(
      (scope) =>
        new TaskerStateMachine(scope, 'm', {
          taskerFunctionArn: TASKER_ARN,
          definition: simpleDefinition(TASKER_ARN),
          logging: { level: 'ALL', includeExecutionData: true, retentionDays: 7 },
          tags: { team: 'data' },
        }),
    );
    const logGroup = onlyResource(out, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({ name: '/aws/vendedlogs/states/m', retention_in_days: 7, tags: { team: 'data' } });
    const sfn = onlyResource(out, 'aws_sfn_state_machine');
    expect(sfn.logging_configuration).toEqual({
      level: 'ALL',
      include_execution_data: true,
      log_destination: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/),
    });
    expect(sfn.tags).toEqual({ team: 'data' });
    const policies = Object.values(out.resource.aws_iam_role_policy).map((item) => JSON.parse(item.policy as string).Statement[0]);
    expect(policies.map((statement) => statement.Sid).sort()).toEqual(['DeliverLogs', 'InvokeTasker']);
  });

  it.each([
    ['a bad name', { name: 'has spaces' }, InvalidStateMachinePropsError, /letters, digits/],
    ['a role name over 64 characters', { name: 'x'.repeat(60) }, InvalidStateMachinePropsError, /give `roleName`/],
    ['a bad sourceAccount', { sourceAccount: '12' }, InvalidStateMachinePropsError, /12-digit/],
    ['an empty function ARN', { taskerFunctionArn: '' }, InvalidStateMachinePropsError, /non-empty/],
    [
      'an invalid hand-written definition',
      { definition: { StartAt: 'A', States: { A: { Type: 'Pass' as const, Next: 'B' } } } },
      InvalidDefinitionError,
      /"B"/,
    ],
  ])('refuses %s before creating any resource', (_label, override, errorClass, message) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const create = () =>
      new TaskerStateMachine(stack, 'm', { taskerFunctionArn: TASKER_ARN, definition: simpleDefinition(TASKER_ARN), ...override });
    expect(create).toThrow(errorClass);
    expect(create).toThrow(message);
    expect(stack.node.children).toHaveLength(0);
  });

  it('synthesises the same output twice', () => {
    const build = (scope: Construct) =>
      new TaskerStateMachine(scope, 'm', { taskerFunctionArn: TASKER_ARN, definition: simpleDefinition(TASKER_ARN) });
    expect(Testing.synthScope(build)).toBe(Testing.synthScope(build));
  });

  // Not `plan`: for a definition known at plan time the AWS provider calls SFN ValidateStateMachineDefinition,
  // which needs the network (a definition holding an unknown function ARN skips that call).
  it('passes terraform validate (token ARN, literal ARN, logging, template text)', () => {
    const { stack, tasker: fn } = stackWithStubTasker('sfn');
    new TaskerStateMachine(stack, 'by-token', { taskerFunctionArn: fn.arn, definition: simpleDefinition(fn.arn), logging: {} });
    new TaskerStateMachine(stack, 'by-literal', {
      taskerFunctionArn: TASKER_ARN,
      definition: definition({ comment: 'a %{directive}', states: [sqlTask(TASKER_ARN, 'Run', { sql: "SELECT '${x}'" })] }),
    });
    const outdir = Testing.fullSynth(stack);
    expect(outdir).toBeValidTerraform();
  });
});
