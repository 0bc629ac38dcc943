import { groupedOptions } from '../../../modules/private/legacy-props';
import { resolveTaskerConfig } from '../../../modules/resolve-tasker-config';
import type { SfnRedshiftTaskerProps } from '../../../modules/tasker-props';
import { CLUSTER_TARGET, synthTasker } from '../synth-helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/boundary';
const VPC = { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] };

const FLAT: SfnRedshiftTaskerProps = {
  redshiftTarget: CLUSTER_TARGET,
  lambdaMemorySize: 512,
  lambdaTimeout: 120,
  reservedConcurrency: 4,
  architecture: 'x86_64',
  tracing: true,
  vpcConfig: VPC,
  logLevel: 'DEBUG',
  logFormat: 'JSON',
  logRetentionDays: 14,
  permissionsBoundary: BOUNDARY,
  rolePath: '/etl/',
  encryptionKey: KEY_ARN,
};

const GROUPED: SfnRedshiftTaskerProps = {
  redshiftTarget: CLUSTER_TARGET,
  function: { memorySize: 512, timeout: 120, reservedConcurrency: 4, architecture: 'x86_64', tracing: true, vpcConfig: VPC },
  logging: { level: 'DEBUG', format: 'JSON', retentionDays: 14 },
  role: { permissionsBoundary: BOUNDARY, path: '/etl/' },
  encryptionKeyArn: KEY_ARN,
};

describe('the legacy adapter of the grouped options', () => {
  test('every flat name maps to its grouped spelling', () => {
    const problems: string[] = [];
    expect(groupedOptions(FLAT, problems)).toEqual({
      ...groupedOptions(GROUPED, []),
      encryptionKey: { arn: KEY_ARN, propName: 'encryptionKey' },
    });
    expect(problems).toEqual([]);
  });

  test('the grouped and the flat spelling resolve to the same config and synthesise the same stack', () => {
    expect(resolveTaskerConfig('etl', GROUPED)).toEqual(resolveTaskerConfig('etl', FLAT));
    expect(synthTasker(GROUPED).raw).toBe(synthTasker(FLAT).raw);
  });

  test('both spellings of one option are a named problem, not a silent pick', () => {
    const problems: string[] = [];
    groupedOptions({ ...GROUPED, lambdaTimeout: 30, logLevel: 'INFO', rolePath: '/', encryptionKey: KEY_ARN }, problems);
    expect(problems).toEqual([
      'give encryptionKeyArn or the deprecated encryptionKey, not both',
      'give function.timeout or the deprecated lambdaTimeout, not both',
      'give logging.level or the deprecated logLevel, not both',
      'give role.path or the deprecated rolePath, not both',
    ]);
  });

  test('problems in a grouped option name the setting they check', () => {
    expect(() => resolveTaskerConfig('etl', { redshiftTarget: CLUSTER_TARGET, function: { memorySize: 64 } })).toThrow(/lambdaMemorySize/);
  });
});
