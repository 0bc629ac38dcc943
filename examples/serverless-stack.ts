/**
 * Example: a tasker for a Redshift Serverless workgroup, authenticated with the function's IAM identity,
 * with a separate completer function for completion events.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { SfnRedshiftTasker } from '../modules';
import { outputs } from './cluster-stack';

export interface ServerlessExampleStackProps {
  /** Name of the workgroup. @default 'analytics-workgroup' */
  readonly workgroupName?: string;
  /** Database the statements run in. @default 'dev' */
  readonly database?: string;
  /** Region used when the `aws_region` variable is not set. @default 'eu-west-1' */
  readonly defaultRegion?: string;
}

export class ServerlessExampleStack extends TerraformStack {
  public readonly tasker: SfnRedshiftTasker;

  constructor(scope: Construct, id: string, props: ServerlessExampleStackProps = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    const region = new TerraformVariable(this, 'aws_region', {
      type: 'string',
      default: props.defaultRegion ?? 'eu-west-1',
      description: 'AWS region to deploy the tasker to',
    });
    new AwsProvider(this, 'aws', { region: region.stringValue, defaultTags: [{ tags: { project: 'sfn-redshift-tasker-example' } }] });

    this.tasker = new SfnRedshiftTasker(this, 'ServerlessTasker', {
      namePrefix: 'serverless-example',
      redshiftTarget: { workgroupName: props.workgroupName ?? 'analytics-workgroup', database: props.database ?? 'dev' },
      separateCompleter: true,
      tags: { example: 'serverless' },
    });
    outputs(this, this.tasker);
  }
}
