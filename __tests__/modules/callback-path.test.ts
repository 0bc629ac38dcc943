import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { SfnRedshiftTasker } from '../../modules/sfn-redshift-tasker';
import { TaskerConfigurationError } from '../../modules/tasker-config';
import type { SfnRedshiftTaskerProps } from '../../modules/tasker-props';
import { CLUSTER_TARGET } from './synth-helpers';

// `callbackPath` is one prop for what `callbackTasker` / `createCallbackInfra: false` + `existingTableName`
// + `statementNamePrefix` + `encryptionKey` did: both spellings must synthesise byte-identical stacks.

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:second-flow';

/** Synthesises a stack with a first tasker and a second one built from `secondProps(first)`. */
function synthPair(secondProps: (first: SfnRedshiftTasker) => Partial<SfnRedshiftTaskerProps>): string {
  const stack = new TerraformStack(Testing.app(), 'pair');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const first = new SfnRedshiftTasker(stack, 'first', { redshiftTarget: CLUSTER_TARGET });
  new SfnRedshiftTasker(stack, 'second', { redshiftTarget: CLUSTER_TARGET, stateMachineArns: [MACHINE], ...secondProps(first) });
  return Testing.synth(stack);
}

describe('callbackPath', () => {
  test('another tasker: the same stack as callbackTasker, byte for byte', () => {
    const viaOld = synthPair((first) => ({ callbackTasker: first }));
    const viaNew = synthPair((first) => ({ callbackPath: first }));
    expect(viaNew).toBe(viaOld);
    // The shared path really is reused: one table, the first role answers the second's machines.
    const json = JSON.parse(viaNew);
    expect(Object.keys(json.resource.aws_dynamodb_table)).toHaveLength(1);
    expect(JSON.stringify(json.resource.aws_iam_role_policy)).toContain('second-statements-completed-by-first');
  });

  test('{ tableName, statementNamePrefix, encryptionKeyArn }: the same stack as createCallbackInfra: false + the three props', () => {
    const viaOld = synthPair(() => ({
      createCallbackInfra: false,
      existingTableName: 'other-tracking',
      statementNamePrefix: 'sfnrs-other-',
      encryptionKey: KEY_ARN,
    }));
    const viaNew = synthPair(() => ({
      callbackPath: { tableName: 'other-tracking', statementNamePrefix: 'sfnrs-other-', encryptionKeyArn: KEY_ARN },
    }));
    expect(viaNew).toBe(viaOld);
    const json = JSON.parse(viaNew);
    // Only the first tasker's queue pair and table: the second creates no callback path of its own.
    expect(Object.keys(json.resource.aws_sqs_queue)).toHaveLength(2);
    expect(Object.keys(json.resource.aws_dynamodb_table)).toHaveLength(1);
  });

  test('given with any prop it replaces, or with empty fields, is refused with a named error and adds nothing', () => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    const first = new SfnRedshiftTasker(stack, 'first', { redshiftTarget: CLUSTER_TARGET });
    const before = stack.node.children.length;
    const external = { tableName: 't', statementNamePrefix: 'p-', encryptionKeyArn: KEY_ARN };
    const cases: [Partial<SfnRedshiftTaskerProps>, string][] = [
      [{ callbackPath: first, callbackTasker: first }, 'callbackPath replaces callbackTasker; give only callbackPath'],
      [{ callbackPath: first, createCallbackInfra: false }, 'callbackPath replaces createCallbackInfra'],
      [{ callbackPath: external, existingTableName: 't' }, 'callbackPath replaces existingTableName'],
      [{ callbackPath: external, statementNamePrefix: 'p-' }, 'callbackPath replaces statementNamePrefix'],
      [{ callbackPath: first, encryptionKey: KEY_ARN }, 'callbackPath replaces encryptionKey'],
      [{ callbackPath: { ...external, tableName: ' ' } }, 'callbackPath.tableName must not be empty'],
      [{ callbackPath: { ...external, encryptionKeyArn: '' } }, 'callbackPath.encryptionKeyArn must not be empty'],
    ];
    for (const [extra, message] of cases) {
      const build = () => new SfnRedshiftTasker(stack, 'third', { redshiftTarget: CLUSTER_TARGET, ...extra });
      expect(build).toThrow(TaskerConfigurationError);
      expect(build).toThrow(message);
    }
    expect(stack.node.children).toHaveLength(before);
  });

  test('a tasker without a callback path of its own is refused, as with callbackTasker', () => {
    const stack = new TerraformStack(Testing.app(), 'chain');
    const first = new SfnRedshiftTasker(stack, 'first', { redshiftTarget: CLUSTER_TARGET });
    const second = new SfnRedshiftTasker(stack, 'second', { redshiftTarget: CLUSTER_TARGET, callbackPath: first });
    expect(() => new SfnRedshiftTasker(stack, 'third', { redshiftTarget: CLUSTER_TARGET, callbackPath: second })).toThrow(
      "callbackTasker 'second' has no callback path of its own",
    );
  });
});
