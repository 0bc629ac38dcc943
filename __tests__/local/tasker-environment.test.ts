import { Lazy } from 'cdktf';
import { ENV } from '../../functions/shared/contract';
import {
  assignProcessEnv,
  contractEnvironment,
  inProcessTaskerEnvironment,
  localAwsEnvironment,
  LocalTaskerConfigurationError,
  resolveLocalConfig,
  saveProcessEnv,
  taskerEnvironment,
} from '../../local/tasker-environment';

const names = { tableName: 'local-table', functionName: 'local-fn' };
const endpoints = { region: 'eu-west-1', dynamoDb: 'http://127.0.0.1:1', redshiftData: 'http://127.0.0.1:2', sfn: 'http://127.0.0.1:3' };

describe('local tasker environment', () => {
  it('is what the construct gives the function for the same props', () => {
    const contract = contractEnvironment(
      resolveLocalConfig({
        redshiftTarget: { workgroupName: 'wg', database: 'db', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:s' },
        abortedErrorName: 'ABORTED',
        describeOnSuccess: true,
        itemTtlSeconds: 600,
      }),
      names,
    );
    expect(contract).toMatchObject({
      [ENV.WORKGROUP_NAME]: 'wg',
      [ENV.DATABASE]: 'db',
      [ENV.SECRET_ARN]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:s',
      [ENV.ABORTED_ERROR_NAME]: 'ABORTED',
      [ENV.DESCRIBE_ON_SUCCESS]: 'true',
      [ENV.ITEM_TTL_SECONDS]: '600',
      [ENV.STATEMENT_NAME_PREFIX]: 'sfnrs-local-',
      [ENV.TABLE_NAME]: 'local-table',
    });
    expect(contract).not.toHaveProperty(ENV.CLUSTER_IDENTIFIER);
  });

  it('gives a Terraform reference in the target a placeholder and refuses one in a behaviour setting', () => {
    const reference = Lazy.stringValue({ produce: () => 'aws_redshift_cluster.main.cluster_identifier' });
    const contract = contractEnvironment(
      resolveLocalConfig({ redshiftTarget: { clusterIdentifier: reference, database: 'dev', dbUser: 'etl' } }),
      names,
    );
    expect(contract[ENV.CLUSTER_IDENTIFIER]).toBe('local-redshift-cluster-identifier');
    const ttl = Lazy.numberValue({ produce: () => 600 });
    expect(() =>
      contractEnvironment(
        resolveLocalConfig({ redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'etl' }, itemTtlSeconds: ttl }),
        names,
      ),
    ).toThrow(
      new LocalTaskerConfigurationError(
        `props give Terraform references for ${ENV.ITEM_TTL_SECONDS}: a local tasker needs plain values for settings that change its ` +
          `behaviour`,
      ),
    );
  });

  it('keeps the developer’s AWS settings and contract variables out, and applies the log level and extras last', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        AWS_PROFILE: 'prod',
        AWS_ENDPOINT_URL: 'https://real',
        [ENV.TABLE_NAME]: 'real-table',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        KEEP_ME: '1',
      });
      const env = taskerEnvironment({
        contract: { [ENV.TABLE_NAME]: 'local-table', [ENV.LOG_LEVEL]: 'INFO' },
        endpoints,
        logLevel: 'SILENT',
        extra: { KEEP_ME: '2' },
      });
      expect(env).not.toHaveProperty('AWS_PROFILE');
      expect(env).not.toHaveProperty('AWS_ENDPOINT_URL');
      expect(env).toMatchObject({
        [ENV.TABLE_NAME]: 'local-table',
        [ENV.LOG_LEVEL]: 'SILENT',
        KEEP_ME: '2',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_REDSHIFT_DATA: 'http://127.0.0.1:2',
        AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:3',
      });
    } finally {
      process.env = saved;
    }
  });

  it('the bundle and the in-process handler (harness, bench) get the same endpoint wiring', () => {
    const aws = localAwsEnvironment(endpoints);
    expect(aws).toEqual({
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_REDSHIFT_DATA: 'http://127.0.0.1:2',
      AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:3',
    });
    expect(taskerEnvironment({ contract: {}, endpoints })).toMatchObject(aws);
  });

  it('the in-process handler gets the construct’s contract for its props, the endpoints, and no developer session or profile', () => {
    const props = {
      redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'etl' },
      namePrefix: 'test',
      statementNamePrefix: 'p-',
      fastPathSeconds: 0,
    };
    const env = inProcessTaskerEnvironment(props, names, endpoints);
    expect(env).toEqual({
      ...localAwsEnvironment(endpoints),
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      ...contractEnvironment(resolveLocalConfig(props), names),
    });
    // assignProcessEnv removes the undefined ones, so a developer's session cannot reach the local services.
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['AWS_SESSION_TOKEN', 'AWS_PROFILE']));
    expect(env).toMatchObject({
      [ENV.TASKER_NAME]: 'test',
      [ENV.STATEMENT_NAME_PREFIX]: 'p-',
      [ENV.FAST_PATH_SECONDS]: '0',
      [ENV.CLUSTER_IDENTIFIER]: 'c',
    });
  });

  it('assignProcessEnv sets and removes variables; saveProcessEnv puts process.env back exactly', () => {
    process.env.SFNRS_TEST_KEPT = 'before';
    process.env.SFNRS_TEST_REMOVED = 'before';
    const restore = saveProcessEnv();
    try {
      assignProcessEnv({ SFNRS_TEST_KEPT: 'after', SFNRS_TEST_REMOVED: undefined, SFNRS_TEST_ADDED: 'new' });
      expect([process.env.SFNRS_TEST_KEPT, 'SFNRS_TEST_REMOVED' in process.env, process.env.SFNRS_TEST_ADDED]).toEqual([
        'after',
        false,
        'new',
      ]);
    } finally {
      restore();
    }
    expect([process.env.SFNRS_TEST_KEPT, process.env.SFNRS_TEST_REMOVED, 'SFNRS_TEST_ADDED' in process.env]).toEqual([
      'before',
      'before',
      false,
    ]);
    delete process.env.SFNRS_TEST_KEPT;
    delete process.env.SFNRS_TEST_REMOVED;
  });
});
