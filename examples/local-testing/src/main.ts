/**
 * The app: a tasker and the nightly state machine, synthesised with `npm run synth` (cdktf.out/).
 * The local test (test/nightly.test.ts) runs the same definition and props without AWS.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { SfnRedshiftTasker, TaskerStateMachine } from 'cdktf-stepfunctions-redshift';
import { nightlyDefinition, taskerProps } from './nightly';

const app = new App();
const stack = new TerraformStack(app, 'nightly');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
const tasker = new SfnRedshiftTasker(stack, 'tasker', taskerProps);
new TaskerStateMachine(stack, 'nightly-machine', {
  taskerFunctionArn: tasker.lambdaFunction.arn,
  definition: nightlyDefinition(tasker.lambdaFunction.arn),
});
app.synth();
