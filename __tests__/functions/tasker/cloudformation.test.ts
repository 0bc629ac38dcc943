import { useHandlerHarness } from '../../support/handler/hooks';

describe('CloudFormation custom resources', () => {
  const h = useHandlerHarness();

  const request = (overrides: Record<string, unknown> = {}) => ({
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:tasker',
    ResponseURL: h.cfn.urlFor('create'),
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
    RequestId: 'req-1',
    LogicalResourceId: 'Users',
    ResourceType: 'Custom::RedshiftSql',
    ResourceProperties: { ServiceToken: 'x', sqlStatement: 'create user alice password disable' },
    ...overrides,
  });

  it('Create: starts the statement and PUTs SUCCESS when it finishes, with a stable physical id', async () => {
    const started = await h.invoke(request());
    expect(started).toMatchObject({ outcome: 'started', physicalResourceId: expect.stringMatching(/^Users:[0-9a-f]{64}$/) });
    expect(h.cfn.responses).toEqual([]);
    expect(h.data.last().Sql).toBe('create user alice password disable');
    expect((await h.deliver([h.data.finish(started.statementId, 'FINISHED', { rows: 0 })])).batchItemFailures).toEqual([]);
    expect(h.cfn.responses).toHaveLength(1);
    expect(h.cfn.responses[0]).toMatchObject({
      path: '/create?X-Amz-Signature=test',
      contentType: '',
      body: {
        Status: 'SUCCESS',
        PhysicalResourceId: started.physicalResourceId,
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
        RequestId: 'req-1',
        LogicalResourceId: 'Users',
        Data: { StatementId: started.statementId, Rows: 0 },
      },
    });
    expect(h.sfn.calls).toHaveLength(0);
  });

  it('Update: FAILED statement → FAILED response with the Redshift error, physical id unchanged', async () => {
    const started = await h.invoke(
      request({ RequestType: 'Update', RequestId: 'req-2', PhysicalResourceId: 'Users:existing', ResponseURL: h.cfn.urlFor('update') }),
    );
    expect(started.physicalResourceId).toBe('Users:existing');
    await h.deliver([h.data.finish(started.statementId, 'FAILED', { error: 'ERROR: user "alice" already exists' })]);
    expect(h.cfn.responses[0].body).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: 'Users:existing',
      Reason: 'statement FAILED: ERROR: user "alice" already exists',
    });
  });

  it('Delete runs only delete SQL; without it, SUCCESS at once and nothing runs', async () => {
    const answered = await h.invoke(request({ RequestType: 'Delete', PhysicalResourceId: 'Users:existing' }));
    expect(answered).toEqual({ outcome: 'answered', physicalResourceId: 'Users:existing' });
    expect(h.cfn.responses[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'Users:existing' });
    expect(h.data.calls).toEqual([]);

    const started = await h.invoke(
      request({
        RequestType: 'Delete',
        RequestId: 'req-3',
        PhysicalResourceId: 'Users:existing',
        ResourceProperties: { sqlStatement: 'create user alice', deleteSqlStatement: 'drop user alice' },
      }),
    );
    expect(started.outcome).toBe('started');
    expect(h.data.last().Sql).toBe('drop user alice');
  });

  it('invalid input → FAILED response at once, nothing started or recorded', async () => {
    await h.invoke(request({ ResourceProperties: { sqlStatement: '' } }));
    await h.invoke(request({ RequestId: 'req-2', ResourceProperties: {} }));
    expect(h.cfn.responses.map((r) => [r.body.Status, r.body.Reason])).toEqual([
      ['FAILED', 'InvalidInput: sqlStatement: must not be empty'],
      ['FAILED', 'InvalidInput: sqlStatement: is required for Create'],
    ]);
    expect(h.data.calls).toEqual([]);
    expect(await h.items()).toEqual([]);
  });

  it('a start failure → FAILED response at once naming the Data API error', async () => {
    h.data.injectError('ExecuteStatement', { name: 'ValidationException', message: 'syntax error' });
    await h.invoke(request());
    expect(h.cfn.responses[0].body).toMatchObject({ Status: 'FAILED', Reason: 'RedshiftDataError: ValidationException: syntax error' });
  });

  it('a request missing its identity fields fails the invocation (nobody to answer)', async () => {
    await expect(h.invoke(request({ StackId: undefined }))).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringMatching(/^StackId: /) });
  });
});
