/** The handler's settings read from its environment, with a named error for a bad value. */
import { readConfig } from '../../../../functions/tasker/platform/config';

describe('config', () => {
  const base = { TRACKING_TABLE_NAME: 't', REDSHIFT_DATABASE: 'dev' };
  it('reads a cluster target with defaults', () => {
    expect(readConfig({ ...base, REDSHIFT_CLUSTER_IDENTIFIER: 'c', REDSHIFT_DB_USER: 'u' })).toEqual({
      tableName: 't',
      target: { kind: 'cluster', clusterIdentifier: 'c', dbUser: 'u', secretArn: undefined, database: 'dev' },
      statementNamePrefix: 'sfnrs-',
      abortedErrorName: 'FAILED',
      itemTtlSeconds: 86_400,
      callbackMaxAgeSeconds: 31_536_000,
      sweepGraceSeconds: 300,
      describeOnSuccess: false,
      fastPathSeconds: 1,
      sendHeartbeats: true,
      cancelOrphanedStatements: true,
    });
  });
  it('reads the fast path setting, 0 turning it off', () => {
    expect(readConfig({ ...base, REDSHIFT_WORKGROUP_NAME: 'wg', FAST_PATH_SECONDS: '0' }).fastPathSeconds).toBe(0);
    expect(readConfig({ ...base, REDSHIFT_WORKGROUP_NAME: 'wg', FAST_PATH_SECONDS: '30' }).fastPathSeconds).toBe(30);
  });
  it('reads a workgroup target', () => {
    expect(readConfig({ ...base, REDSHIFT_WORKGROUP_NAME: 'wg' }).target).toEqual({
      kind: 'workgroup',
      workgroupName: 'wg',
      secretArn: undefined,
      database: 'dev',
    });
  });
  it.each([
    [{ REDSHIFT_CLUSTER_IDENTIFIER: 'c' }, /DB_USER or REDSHIFT_SECRET_ARN/],
    [{ REDSHIFT_CLUSTER_IDENTIFIER: 'c', REDSHIFT_WORKGROUP_NAME: 'w', REDSHIFT_DB_USER: 'u' }, /not both/],
    [{}, /the Redshift target needs REDSHIFT_CLUSTER_IDENTIFIER or REDSHIFT_WORKGROUP_NAME/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', ITEM_TTL_SECONDS: '-1' }, /ITEM_TTL_SECONDS/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', DESCRIBE_ON_SUCCESS: 'yes' }, /DESCRIBE_ON_SUCCESS/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', FAST_PATH_SECONDS: '31' }, /FAST_PATH_SECONDS must be an integer from 0 to 30 \(got 31\)/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', FAST_PATH_SECONDS: '0.5' }, /FAST_PATH_SECONDS/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', SEND_HEARTBEATS: 'on' }, /SEND_HEARTBEATS must be true or false \(got on\)/],
    [{ REDSHIFT_WORKGROUP_NAME: 'w', CANCEL_ORPHANED_STATEMENTS: '1' }, /CANCEL_ORPHANED_STATEMENTS/],
  ])('rejects %j', (env, message) => {
    expect(() => readConfig({ ...base, ...env })).toThrow(message);
  });
});
