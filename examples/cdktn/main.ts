import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktn';
import { SfnRedshiftTasker } from 'cdktn-stepfunctions-redshift';

const app = new App();
const stack = new TerraformStack(app, 'etl');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

const tasker = new SfnRedshiftTasker(stack, 'Tasker', {
  namePrefix: 'etl',
  redshiftTarget: { clusterIdentifier: 'analytics', database: 'dev', dbUser: 'etl_user' },
  // or { clusterIdentifier, database, secretArn }, { workgroupName, database }, { workgroupName, database, secretArn }
  // or the original library's redshiftTargetProps: { clusterIdentifier, dbName, dbUser }
});
new TerraformOutput(stack, 'tasker_function_arn', { value: tasker.lambdaFunction.arn });
app.synth();
