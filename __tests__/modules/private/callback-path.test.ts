import { TerraformStack, Testing } from 'cdktf';
import { legacyCallbackFields } from '../../../modules/private/callback-path';
import { resolveTaskerConfig } from '../../../modules/resolve-tasker-config';
import { SfnRedshiftTasker } from '../../../modules/sfn-redshift-tasker';
import { TaskerConfigurationError } from '../../../modules/tasker-config';
import { CLUSTER_TARGET } from '../synth-helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const EXTERNAL = { tableName: 'other-tracking', statementNamePrefix: 'sfnrs-other-', encryptionKeyArn: KEY_ARN };

describe('the legacy adapter of the callback path', () => {
  const stack = new TerraformStack(Testing.app(), 'paths');
  const owner = new SfnRedshiftTasker(stack, 'owner', { redshiftTarget: CLUSTER_TARGET });

  test.each([
    ['nothing', {}, { kind: 'own' }],
    ['encryptionKeyArn', { encryptionKeyArn: KEY_ARN }, { kind: 'own', encryptionKeyArn: KEY_ARN }],
    ['encryptionKey (deprecated)', { encryptionKey: KEY_ARN }, { kind: 'own', encryptionKeyArn: KEY_ARN }],
    ['existingTableName (deprecated)', { existingTableName: 'shared' }, { kind: 'own', existingTableName: 'shared' }],
    ['callbackPath: external', { callbackPath: EXTERNAL }, { kind: 'external', ...EXTERNAL }],
    [
      'createCallbackInfra: false + table, prefix, key (deprecated)',
      {
        createCallbackInfra: false,
        existingTableName: EXTERNAL.tableName,
        statementNamePrefix: EXTERNAL.statementNamePrefix,
        encryptionKey: KEY_ARN,
      },
      { kind: 'external', ...EXTERNAL },
    ],
  ])('%s → one representation', (_name, props, expected) => {
    expect(resolveTaskerConfig('reuser', { redshiftTarget: CLUSTER_TARGET, ...props }).callbackPath).toEqual(expected);
  });

  test('another tasker, as callbackPath or the deprecated callbackTasker → { kind: tasker, owner }', () => {
    for (const props of [{ callbackPath: owner }, { callbackTasker: owner }]) {
      const config = resolveTaskerConfig('reuser', { redshiftTarget: CLUSTER_TARGET, ...props });
      expect(config.callbackPath).toEqual({ kind: 'tasker', owner });
      expect(config.statementNamePrefix).toBe(owner.statementNamePrefix);
    }
  });

  test('the deprecated config fields are derived from the union', () => {
    expect(legacyCallbackFields({ kind: 'own' })).toEqual({
      createCallbackInfra: true,
      encryptionKeyArn: undefined,
      existingTableName: undefined,
    });
    expect(legacyCallbackFields({ kind: 'external', ...EXTERNAL })).toEqual({
      createCallbackInfra: false,
      encryptionKeyArn: KEY_ARN,
      existingTableName: EXTERNAL.tableName,
    });
    expect(legacyCallbackFields({ kind: 'tasker', owner })).toEqual({
      createCallbackInfra: false,
      encryptionKeyArn: owner.encryptionKey.arn,
      existingTableName: owner.trackingTable.name,
    });
  });

  test('a key with callbackPath, in either spelling, is refused', () => {
    for (const key of [{ encryptionKeyArn: KEY_ARN }, { encryptionKey: KEY_ARN }]) {
      const build = () => resolveTaskerConfig('reuser', { redshiftTarget: CLUSTER_TARGET, callbackPath: owner, ...key });
      expect(build).toThrow(TaskerConfigurationError);
      expect(build).toThrow(`callbackPath replaces ${Object.keys(key)[0]}`);
    }
  });

  test('the key of an external path must be a KMS ARN', () => {
    expect(() =>
      resolveTaskerConfig('reuser', { redshiftTarget: CLUSTER_TARGET, callbackPath: { ...EXTERNAL, encryptionKeyArn: 'not-an-arn' } }),
    ).toThrow("callbackPath.encryptionKeyArn 'not-an-arn' is not an ARN of kms");
  });
});
