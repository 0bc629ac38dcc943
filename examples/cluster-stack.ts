/**
 * Example: a tasker for a provisioned Redshift cluster, reached with temporary credentials for a db user,
 * and the example state machines (`examples/state-machines/`) running their SQL through it.
 *
 * `cdktf deploy cluster-example` (or `npm run synth` and `terraform apply` in
 * `cdktf.out/stacks/cluster-example`) deploys it; the outputs give what a state machine needs and the
 * ARNs of the example state machines.
 */
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { SfnRedshiftTasker } from '../modules';
import type { TaskerStateMachine } from '../modules/sfn';
import { addExampleBackendAndProvider } from './example-stack-base';
import { addExampleStateMachines, EXAMPLE_STATE_MACHINES } from './state-machines';

export interface ClusterExampleStackProps {
  /** Identifier of the cluster. @default 'analytics-cluster' */
  readonly clusterIdentifier?: string;
  /** Database the statements run in. @default 'dev' */
  readonly database?: string;
  /** Database user for temporary credentials (must exist in the database). @default 'sfn_tasker' */
  readonly dbUser?: string;
  /** Region used when the `aws_region` variable is not set. @default 'eu-west-1' */
  readonly defaultRegion?: string;
}

/** Prefix of the example state machines' names (`cluster-example-<example id>`), like the tasker's. */
export const CLUSTER_STATE_MACHINE_PREFIX = 'cluster-example-';

export class ClusterExampleStack extends TerraformStack {
  public readonly tasker: SfnRedshiftTasker;
  /** The topic the tasker's alarms notify (subscribe an email or a chat integration to it). */
  public readonly alarmTopic: SnsTopic;
  /** The example state machines, in catalog order, each allowed to invoke only this stack's tasker. */
  public readonly stateMachines: TaskerStateMachine[];

  constructor(scope: Construct, id: string, props: ClusterExampleStackProps = {}) {
    super(scope, id);
    addExampleBackendAndProvider(this, id, { defaultRegion: props.defaultRegion });

    // Not encrypted with the AWS managed SNS key: CloudWatch alarms cannot publish to a topic under it
    // (a customer managed key whose policy admits cloudwatch.amazonaws.com works).
    this.alarmTopic = new SnsTopic(this, 'AlarmTopic', { name: 'cluster-example-tasker-alarms', tags: { example: 'cluster' } });

    this.tasker = new SfnRedshiftTasker(this, 'ClusterTasker', {
      namePrefix: 'cluster-example',
      redshiftTarget: {
        clusterIdentifier: props.clusterIdentifier ?? 'analytics-cluster',
        database: props.database ?? 'dev',
        dbUser: props.dbUser ?? 'sfn_tasker',
      },
      // Short statements (the examples' SELECTs) answer from the start invocation: README "Fast path".
      fastPathSeconds: 2,
      // Operating it: heartbeats keep `HeartbeatSeconds` meaningful and let the sweep cancel orphaned
      // statements; metrics feed the sweep-repairs alarm; every alarm notifies the topic.
      sendHeartbeats: true,
      cancelOrphanedStatements: true,
      metrics: true,
      alarms: { topicArn: this.alarmTopic.arn },
      tags: { example: 'cluster' },
    });

    outputs(this, this.tasker);

    this.stateMachines = addExampleStateMachines(this, this.tasker.lambdaFunction.arn, {
      namePrefix: CLUSTER_STATE_MACHINE_PREFIX,
      tags: { example: 'cluster' },
    });
    // One map output (example id -> ARN): `terraform output -json example_state_machine_arns`.
    new TerraformOutput(this, 'example_state_machine_arns', {
      value: Object.fromEntries(EXAMPLE_STATE_MACHINES.map((example, i) => [example.id, this.stateMachines[i].arn])),
      description: 'ARNs of the example state machines, by example id',
    }).overrideLogicalId('example_state_machine_arns');
  }
}

/** The outputs a state machine author needs; fixed logical ids so they keep their names if constructs move. */
export function outputs(scope: Construct, tasker: SfnRedshiftTasker): void {
  const values: Record<string, [string, string]> = {
    tasker_function_arn: [tasker.lambdaFunction.arn, 'Parameters.FunctionName of the waitForTaskToken task state'],
    tasker_function_name: [tasker.lambdaFunction.functionName, 'Name of the tasker function'],
    tracking_table_name: [tasker.trackingTable.name, 'DynamoDB table tracking the calls'],
    statement_name_prefix: [tasker.statementNamePrefix, 'Prefix of the Data API statement names this tasker starts'],
  };
  for (const [name, [value, description]] of Object.entries(values)) {
    new TerraformOutput(scope, name, { value, description }).overrideLogicalId(name);
  }
}
