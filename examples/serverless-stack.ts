/**
 * Example: a tasker for a Redshift Serverless workgroup, authenticated with the function's IAM identity,
 * with a separate completer function for completion events.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { SfnRedshiftTasker } from '../modules';
import { outputs } from './cluster-stack';
import { addExampleBackendAndProvider } from './example-stack-base';

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
    addExampleBackendAndProvider(this, id, { defaultRegion: props.defaultRegion });

    this.tasker = new SfnRedshiftTasker(this, 'ServerlessTasker', {
      namePrefix: 'serverless-example',
      redshiftTarget: { workgroupName: props.workgroupName ?? 'analytics-workgroup', database: props.database ?? 'dev' },
      separateCompleter: true,
      tags: { example: 'serverless' },
    });
    outputs(this, this.tasker);
  }
}
