import { Lazy, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { resolveTaskerConfig } from '../../modules/resolve-tasker-config';
import { TaskerConfigurationError } from '../../modules/tasker-config';
import type { SfnRedshiftTaskerProps, TaskerLogLevel } from '../../modules/tasker-props';

const cluster = { clusterIdentifier: 'analytics', database: 'dev', dbUser: 'tasker_user' };

function problemsOf(props: SfnRedshiftTaskerProps, id = 'etl'): readonly string[] {
  try {
    resolveTaskerConfig(id, props);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskerConfigurationError);
    expect((error as Error).name).toBe('TaskerConfigurationError');
    return (error as TaskerConfigurationError).problems;
  }
  throw new Error('expected a TaskerConfigurationError');
}

describe('resolveTaskerConfig defaults', () => {
  test('applies every default for a cluster target', () => {
    const config = resolveTaskerConfig('etl', { redshiftTarget: cluster });
    expect(config).toEqual({
      target: { kind: 'cluster', ...cluster, secretArn: undefined },
      namePrefix: 'etl',
      statementNamePrefix: 'sfnrs-etl-',
      callbackPath: { kind: 'own' },
      createCallbackInfra: true,
      deployDeadLetterQueue: true,
      maxReceiveCount: 15,
      encryptionKeyArn: undefined,
      existingTableName: undefined,
      logLevel: 'INFO',
      logRetentionDays: 30,
      memorySize: 256,
      timeout: 60,
      reservedConcurrency: undefined,
      separateCompleter: false,
      abortedErrorName: 'FAILED',
      sweepSchedule: 'rate(5 minutes)',
      sweepGraceSeconds: 300,
      itemTtlSeconds: 86_400,
      callbackMaxAgeSeconds: 31_536_000,
      describeOnSuccess: false,
      fastPathSeconds: 1,
      batchSize: 10,
      stateMachineArns: undefined,
      tags: {},
      sendHeartbeats: true,
      cancelOrphanedStatements: true,
      cancelOnExecutionEnd: false,
      metrics: true,
      metricsNamespace: 'SfnRedshiftTasker',
      tracing: false,
      architecture: 'arm64',
      logFormat: 'Text',
    });
  });

  test('maps the legacy redshiftTargetProps onto a cluster target', () => {
    const config = resolveTaskerConfig('etl', { redshiftTargetProps: { clusterIdentifier: 'legacy', dbName: 'prod', dbUser: 'u1' } });
    expect(config.target).toEqual({ kind: 'cluster', clusterIdentifier: 'legacy', database: 'prod', dbUser: 'u1' });
  });

  test('resolves a workgroup target, with or without secret and ARN', () => {
    expect(resolveTaskerConfig('etl', { redshiftTarget: { workgroupName: 'wg', database: 'dev' } }).target).toEqual({
      kind: 'workgroup',
      workgroupName: 'wg',
      database: 'dev',
      secretArn: undefined,
      workgroupArn: undefined,
    });
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rs-AbCdEf';
    const workgroupArn = 'arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab';
    expect(
      resolveTaskerConfig('etl', { redshiftTarget: { workgroupName: 'wg', database: 'dev', secretArn, workgroupArn } }).target,
    ).toMatchObject({ kind: 'workgroup', secretArn, workgroupArn });
  });

  test('keeps explicit values and a namePrefix over the construct id', () => {
    const config = resolveTaskerConfig('Some Id', {
      redshiftTarget: cluster,
      namePrefix: 'nightly_load',
      statementNamePrefix: 'custom-',
      maxReceiveCount: 3,
      lambdaMemorySize: 1024,
      lambdaTimeout: 900,
      reservedConcurrency: 5,
      batchSize: 100,
      logLevel: 'DEBUG',
      logRetentionDays: 365,
      abortedErrorName: 'ABORTED',
      sweepSchedule: 'cron(0/10 * * * ? *)',
      tags: { team: 'data' },
    });
    expect(config).toMatchObject({
      namePrefix: 'nightly_load',
      statementNamePrefix: 'custom-',
      maxReceiveCount: 3,
      memorySize: 1024,
      timeout: 900,
      reservedConcurrency: 5,
      batchSize: 100,
      logLevel: 'DEBUG',
      logRetentionDays: 365,
      abortedErrorName: 'ABORTED',
      sweepSchedule: 'cron(0/10 * * * ? *)',
      tags: { team: 'data' },
    });
  });

  test('passes Terraform references through unchecked', () => {
    const clusterIdentifier = Lazy.stringValue({ produce: () => 'Not_Checked' });
    const encryptionKey = Lazy.stringValue({ produce: () => 'not-an-arn' });
    const config = resolveTaskerConfig('etl', { redshiftTarget: { ...cluster, clusterIdentifier }, encryptionKey });
    expect(config.target).toMatchObject({ clusterIdentifier });
    expect(config.encryptionKeyArn).toBe(encryptionKey);
  });

  test('passes Terraform variables through unchecked: name prefix, numbers, log level, error name, state machine list', () => {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const variable = (name: string, type: string) => new TerraformVariable(stack, name, { type });
    const namePrefix = variable('name_prefix', 'string').stringValue;
    const numbers = Object.fromEntries(
      ['lambdaTimeout', 'maxReceiveCount', 'batchSize', 'itemTtlSeconds', 'sweepGraceSeconds', 'lambdaMemorySize', 'logRetentionDays'].map(
        (name) => [name, variable(name, 'number').numberValue],
      ),
    );
    const logLevel = variable('log_level', 'string').stringValue as TaskerLogLevel;
    const abortedErrorName = variable('aborted_error_name', 'string').stringValue as 'FAILED';
    const stateMachineArns = variable('state_machine_arns', 'list(string)').listValue;
    const config = resolveTaskerConfig('etl', {
      redshiftTarget: cluster,
      namePrefix,
      ...numbers,
      logLevel,
      abortedErrorName,
      stateMachineArns,
    });
    expect(config).toMatchObject({
      namePrefix,
      statementNamePrefix: `sfnrs-${namePrefix}-`,
      timeout: numbers.lambdaTimeout,
      maxReceiveCount: numbers.maxReceiveCount,
      batchSize: numbers.batchSize,
      itemTtlSeconds: numbers.itemTtlSeconds,
      sweepGraceSeconds: numbers.sweepGraceSeconds,
      logLevel,
      abortedErrorName,
      stateMachineArns,
    });
  });

  test('rejects references for the settings that decide which resources exist', () => {
    const stack = new TerraformStack(Testing.app(), 'shape-refs');
    const flag = (name: string) => new TerraformVariable(stack, name, { type: 'bool' }).booleanValue as unknown as boolean;
    const problems = problemsOf({
      redshiftTarget: cluster,
      createCallbackInfra: flag('callback'),
      deployDeadLetterQueue: flag('dlq'),
      separateCompleter: flag('completer'),
    });
    expect(problems).toEqual([
      'createCallbackInfra must be a plain boolean, not a Terraform reference: it decides which resources exist',
      'deployDeadLetterQueue must be a plain boolean, not a Terraform reference: it decides which resources exist',
      'separateCompleter must be a plain boolean, not a Terraform reference: it decides which resources exist',
    ]);
  });
});

describe('resolveTaskerConfig rejects bad props with a TaskerConfigurationError', () => {
  const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rs-AbCdEf';
  const cases: Array<[string, SfnRedshiftTaskerProps, string]> = [
    ['no target', {}, 'a Redshift target is required'],
    ['both cluster and workgroup', { redshiftTarget: { ...cluster, workgroupName: 'wg' } as never }, 'not both'],
    [
      'neither cluster nor workgroup',
      { redshiftTarget: { database: 'dev' } as never },
      'redshiftTarget: the Redshift target needs clusterIdentifier or workgroupName',
    ],
    ['cluster with neither dbUser nor secret', { redshiftTarget: { clusterIdentifier: 'c', database: 'dev' } }, 'needs dbUser'],
    [
      'cluster with dbUser and secret',
      { redshiftTarget: { ...cluster, secretArn } },
      'a cluster target takes dbUser or secretArn, not both (unless both are orNull references)',
    ],
    ['empty database', { redshiftTarget: { ...cluster, database: ' ' } }, 'database must not be empty'],
    ['empty dbUser', { redshiftTarget: { ...cluster, dbUser: '' } }, 'dbUser must not be empty'],
    ['bad cluster identifier', { redshiftTarget: { ...cluster, clusterIdentifier: 'Bad_Cluster' } }, 'not a valid cluster identifier'],
    ['workgroup with dbUser', { redshiftTarget: { workgroupName: 'wg', database: 'dev', dbUser: 'x' } as never }, 'takes no dbUser'],
    ['empty workgroup', { redshiftTarget: { workgroupName: '', database: 'dev' } }, 'workgroupName must not be empty'],
    [
      'bad workgroup ARN',
      { redshiftTarget: { workgroupName: 'wg', database: 'dev', workgroupArn: 'wg' } },
      'not an ARN of redshift-serverless',
    ],
    [
      'bad secret ARN',
      { redshiftTarget: { clusterIdentifier: 'c', database: 'dev', secretArn: 'secret' } },
      'not an ARN of secretsmanager',
    ],
    [
      'legacy and new target',
      { redshiftTarget: cluster, redshiftTargetProps: { clusterIdentifier: 'c', dbName: 'd', dbUser: 'u' } },
      'not both',
    ],
    ['legacy with empty dbName', { redshiftTargetProps: { clusterIdentifier: 'c', dbName: '', dbUser: 'u' } }, 'dbName must not be empty'],
    ['maxReceiveCount 0', { redshiftTarget: cluster, maxReceiveCount: 0 }, 'maxReceiveCount must be an integer from 1'],
    ['maxReceiveCount not an integer', { redshiftTarget: cluster, maxReceiveCount: 2.5 }, 'maxReceiveCount must be an integer'],
    ['memory too small', { redshiftTarget: cluster, lambdaMemorySize: 64 }, 'lambdaMemorySize must be an integer from 128 to 10240'],
    ['memory too large', { redshiftTarget: cluster, lambdaMemorySize: 20_000 }, 'lambdaMemorySize'],
    ['timeout too long', { redshiftTarget: cluster, lambdaTimeout: 901 }, 'lambdaTimeout must be an integer from 1 to 900'],
    ['timeout zero', { redshiftTarget: cluster, lambdaTimeout: 0 }, 'lambdaTimeout'],
    ['reserved concurrency zero', { redshiftTarget: cluster, reservedConcurrency: 0 }, 'reservedConcurrency'],
    [
      'reserved concurrency 1 with a callback path',
      { redshiftTarget: cluster, reservedConcurrency: 1 },
      'reservedConcurrency must be at least 2 with a callback path',
    ],
    ['batch size zero', { redshiftTarget: cluster, batchSize: 0 }, 'batchSize must be an integer from 1 to 10000'],
    ['batch size too large', { redshiftTarget: cluster, batchSize: 10_001 }, 'batchSize'],
    ['bad namePrefix characters', { redshiftTarget: cluster, namePrefix: 'my tasker!' }, "namePrefix 'my tasker!'"],
    ['namePrefix too long', { redshiftTarget: cluster, namePrefix: 'a'.repeat(41) }, 'namePrefix'],
    ['namePrefix starting with aws', { redshiftTarget: cluster, namePrefix: 'awsTasker' }, "must not start with 'aws'"],
    ['bad log level', { redshiftTarget: cluster, logLevel: 'TRACE' as never }, "logLevel 'TRACE'"],
    ['bad log retention', { redshiftTarget: cluster, logRetentionDays: 10 }, "logRetentionDays '10' must be one of 1, 3, 5"],
    ['bad aborted error name', { redshiftTarget: cluster, abortedErrorName: 'CANCELLED' as never }, 'abortedErrorName'],
    ['bad sweep schedule', { redshiftTarget: cluster, sweepSchedule: 'every 5 minutes' }, 'sweepSchedule'],
    ['bad sweep grace', { redshiftTarget: cluster, sweepGraceSeconds: -1 }, 'sweepGraceSeconds'],
    ['bad item TTL', { redshiftTarget: cluster, itemTtlSeconds: 1 }, 'itemTtlSeconds'],
    [
      'fast path above the Data API wait limit',
      { redshiftTarget: cluster, fastPathSeconds: 31, lambdaTimeout: 120 },
      'fastPathSeconds must be an integer from 0 to 30',
    ],
    [
      'fast path not below the timeout',
      { redshiftTarget: cluster, fastPathSeconds: 10, lambdaTimeout: 10 },
      'fastPathSeconds (10) must be below lambdaTimeout (10)',
    ],
    ['bad encryption key', { redshiftTarget: cluster, encryptionKey: 'my-key' }, 'encryptionKey'],
    ['empty stateMachineArns', { redshiftTarget: cluster, stateMachineArns: [] }, 'stateMachineArns must not be empty'],
    ['bad stateMachineArn', { redshiftTarget: cluster, stateMachineArns: ['sm'] }, 'stateMachineArns[0]'],
    ['bad statement prefix', { redshiftTarget: cluster, statementNamePrefix: 'has space' }, 'statementNamePrefix'],
    ['empty existing table', { redshiftTarget: cluster, existingTableName: '' }, 'existingTableName must not be empty'],
    [
      'no callback infra without table',
      { redshiftTarget: cluster, createCallbackInfra: false, statementNamePrefix: 'sfnrs-a-' },
      'needs existingTableName',
    ],
    [
      'no callback infra without prefix',
      { redshiftTarget: cluster, createCallbackInfra: false, existingTableName: 'a-tracking' },
      'needs statementNamePrefix',
    ],
    [
      'no callback infra without key',
      { redshiftTarget: cluster, createCallbackInfra: false, existingTableName: 'a-tracking', statementNamePrefix: 'sfnrs-a-' },
      'createCallbackInfra: false needs encryptionKey',
    ],
    ['bad tag', { redshiftTarget: cluster, tags: { '': 'x' } }, 'tag key'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    const problems = problemsOf(props);
    expect(problems.some((p) => p.includes(expected))).toBe(true);
  });

  test('reserved concurrency 1 is fine without a callback path (nothing polls the queue)', () => {
    const config = resolveTaskerConfig('etl', {
      redshiftTarget: cluster,
      createCallbackInfra: false,
      existingTableName: 'a-tracking',
      statementNamePrefix: 'sfnrs-a-',
      encryptionKey: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      reservedConcurrency: 1,
    });
    expect(config.reservedConcurrency).toBe(1);
  });

  test('a construct id that is not a valid prefix asks for namePrefix', () => {
    expect(problemsOf({ redshiftTarget: cluster }, 'My Tasker')[0]).toContain('set namePrefix');
  });

  test('reports every problem at once, in the message too', () => {
    let error: TaskerConfigurationError | undefined;
    try {
      resolveTaskerConfig('etl', { redshiftTarget: cluster, maxReceiveCount: 0, lambdaTimeout: 0, logLevel: 'x' as never });
    } catch (e) {
      error = e as TaskerConfigurationError;
    }
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/^Invalid SfnRedshiftTasker props for 'etl':\n {2}- maxReceiveCount/);
  });
});
