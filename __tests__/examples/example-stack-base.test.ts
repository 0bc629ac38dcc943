import { Testing, TerraformStack } from 'cdktf';
import { addExampleBackendAndProvider } from '../../examples/example-stack-base';

function synth(options?: Parameters<typeof addExampleBackendAndProvider>[2]): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'some-example');
  addExampleBackendAndProvider(stack, 'some-example', options);
  return JSON.parse(Testing.synth(stack));
}

describe('addExampleBackendAndProvider', () => {
  test('relative local backend named after the stack, region variable, tagged provider without credentials', () => {
    const json = synth();
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.some-example.tfstate' } });
    expect(json.variable.aws_region).toEqual({
      type: 'string',
      default: 'eu-west-1',
      description: 'AWS region to deploy the tasker to',
    });
    expect(json.provider.aws).toEqual([
      { region: '${var.aws_region}', default_tags: [{ tags: { project: 'sfn-redshift-tasker-example' } }] },
    ]);
  });

  test('default region and variable description can be chosen', () => {
    const json = synth({ defaultRegion: 'us-east-2', regionDescription: 'Region of the cluster' });
    expect(json.variable.aws_region).toMatchObject({ default: 'us-east-2', description: 'Region of the cluster' });
  });
});
