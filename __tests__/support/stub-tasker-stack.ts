/**
 * A stack holding only a provider and a stand-in tasker function (no handler bundle needed), for tests
 * that deploy state machines pointed at a tasker.
 */
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';

export function stackWithStubTasker(stackId: string): { stack: TerraformStack; tasker: LambdaFunction } {
  const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
  const stack = new TerraformStack(app, stackId);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const tasker = new LambdaFunction(stack, 'tasker', {
    functionName: 'tasker',
    role: 'arn:aws:iam::123456789012:role/tasker',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    filename: 'tasker.zip',
  });
  return { stack, tasker };
}
