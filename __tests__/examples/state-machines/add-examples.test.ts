import { type TerraformStack, Testing } from 'cdktf';
import { addExampleStateMachines, EXAMPLE_STATE_MACHINES } from '../../../examples/state-machines';
import { stackWithStubTasker } from '../../support/stub-tasker-stack';

function exampleStack(): TerraformStack {
  const { stack, tasker } = stackWithStubTasker('examples');
  addExampleStateMachines(stack, tasker.arn, { tags: { example: 'true' } });
  return stack;
}

type Synth = { resource: Record<string, Record<string, Record<string, unknown>>> };

describe('addExampleStateMachines', () => {
  it('deploys every example, named after its id, each role allowed only to invoke the tasker', () => {
    const out = JSON.parse(Testing.synth(exampleStack())) as Synth;
    const machines = Object.values(out.resource.aws_sfn_state_machine);
    expect(machines.map((machine) => machine.name).sort()).toEqual(
      EXAMPLE_STATE_MACHINES.map((example) => `sfnrs-example-${example.id}`).sort(),
    );
    expect(machines.every((machine) => machine.type === 'STANDARD')).toBe(true);
    const policies = Object.values(out.resource.aws_iam_role_policy).map((item) => JSON.parse(item.policy as string));
    expect(policies).toHaveLength(EXAMPLE_STATE_MACHINES.length);
    for (const policy of policies) {
      expect(policy.Statement).toEqual([
        {
          Sid: 'InvokeTasker',
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: ['${aws_lambda_function.tasker.arn}', '${aws_lambda_function.tasker.arn}:*'],
        },
      ]);
    }
    expect(Object.keys(out.resource.aws_iam_role)).toHaveLength(EXAMPLE_STATE_MACHINES.length);
  });

  it('synthesises deterministically and passes terraform validate', () => {
    expect(Testing.synth(exampleStack())).toBe(Testing.synth(exampleStack()));
    expect(Testing.fullSynth(exampleStack())).toBeValidTerraform();
  });
});
