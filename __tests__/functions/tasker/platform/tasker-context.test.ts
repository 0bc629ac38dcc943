/**
 * The handler's per-container context (tasker-context.ts, cached in index.ts): built from the environment on
 * the first invocation and reused, a configuration error thrown before any AWS call, and a reset that
 * releases the clients and builds a new context from the environment as it is then.
 */
import { ConfigurationError } from '../../../../functions/tasker/platform/errors';
import { resetTaskerContext } from '../../../../functions/tasker/index';
import * as taskerContext from '../../../../functions/tasker/platform/tasker-context';
import { taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

describe('createTaskerContext', () => {
  const env = { TRACKING_TABLE_NAME: 'calls', REDSHIFT_DATABASE: 'dev', REDSHIFT_WORKGROUP_NAME: 'wg', STATEMENT_NAME_PREFIX: 'p-' };

  it('reads the configuration from the given environment and gives the Data API its target', () => {
    const ctx = taskerContext.createTaskerContext(env);
    try {
      expect(ctx.config).toMatchObject({ tableName: 'calls', statementNamePrefix: 'p-' });
      expect(ctx.dataApi.target).toEqual({ kind: 'workgroup', workgroupName: 'wg', secretArn: undefined, database: 'dev' });
    } finally {
      ctx.destroy();
    }
  });

  it('throws the configuration error itself, before any client is built', () => {
    expect(() => taskerContext.createTaskerContext({ ...env, TRACKING_TABLE_NAME: undefined })).toThrow(ConfigurationError);
    expect(() => taskerContext.createTaskerContext({ ...env, REDSHIFT_CLUSTER_IDENTIFIER: 'c' })).toThrow(/not both/);
  });
});

describe('the handler’s context', () => {
  const h = useHandlerHarness();
  let created: jest.SpyInstance<taskerContext.TaskerContext, Parameters<typeof taskerContext.createTaskerContext>>;
  let destroyed: number;

  beforeEach(() => {
    const create = jest.requireActual<typeof taskerContext>('../../../../functions/tasker/platform/tasker-context').createTaskerContext;
    destroyed = 0;
    created = jest.spyOn(taskerContext, 'createTaskerContext').mockImplementation((env) => {
      const ctx = create(env);
      const destroy = ctx.destroy;
      ctx.destroy = () => {
        destroyed += 1;
        destroy();
      };
      return ctx;
    });
  });
  afterEach(() => created.mockRestore());

  it('is built once per container: on the first invocation, then reused by every route', async () => {
    expect(created).not.toHaveBeenCalled();
    await h.invoke(taskPayload());
    await h.invoke({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    await h.invoke(taskPayload());
    expect(created).toHaveBeenCalledTimes(1);
    expect(h.awsCalls().redshiftData).toEqual(['ExecuteStatement', 'ExecuteStatement']);
  });

  it('a configuration error fails the invocation before any AWS call, and is not cached', async () => {
    h.setEnv({ REDSHIFT_DATABASE: undefined });
    await expect(h.invoke(taskPayload())).rejects.toMatchObject({ name: 'ConfigurationError', message: 'REDSHIFT_DATABASE is required' });
    await expect(h.invoke({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).rejects.toBeInstanceOf(ConfigurationError);
    expect(h.awsCalls()).toEqual({ dynamodb: [], redshiftData: [], sfn: [] });
    expect(created).toHaveBeenCalledTimes(2);
    // Fixed environment: the next invocation builds the context and runs.
    h.setEnv({ REDSHIFT_DATABASE: 'dev' });
    await expect(h.invoke(taskPayload())).resolves.toMatchObject({ Id: expect.any(String) });
    expect(h.awsCalls().redshiftData).toEqual(['ExecuteStatement']);
    expect(created).toHaveBeenCalledTimes(3);
  });

  it('reset releases the clients; the next invocation builds a new context from the environment as it is then', async () => {
    await h.invoke(taskPayload());
    expect(h.data.calls[0].body).toMatchObject({ ClusterIdentifier: 'test-cluster', Database: 'dev' });
    process.env.REDSHIFT_DATABASE = 'other';
    await h.invoke(taskPayload());
    // Still the first context: the environment is read once per container.
    expect(h.data.calls[1].body).toMatchObject({ Database: 'dev' });
    resetTaskerContext();
    expect(destroyed).toBe(1);
    await h.invoke(taskPayload());
    expect(created).toHaveBeenCalledTimes(2);
    expect(h.data.calls[2].body).toMatchObject({ Database: 'other' });
  });
});
