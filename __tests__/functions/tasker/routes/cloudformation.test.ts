import { useHandlerHarness } from '../../../support/handler/hooks';

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
    const event = h.data.finish(started.statementId, 'FINISHED', { rows: 0 });
    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    expect(h.cfn.responses).toHaveLength(1);
    expect(h.cfn.responses[0]).toEqual({
      path: '/create?X-Amz-Signature=test',
      contentType: '',
      body: {
        Status: 'SUCCESS',
        Reason: `statement ${started.statementId} FINISHED (0 rows)`,
        PhysicalResourceId: started.physicalResourceId,
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
        RequestId: 'req-1',
        LogicalResourceId: 'Users',
        NoEcho: false,
        // The original's Data (the whole event) plus ours.
        Data: { ...event, StatementId: started.statementId, Rows: 0 },
      },
    });
    expect(h.sfn.calls).toHaveLength(0);
  });

  it('Update: FAILED statement → FAILED response with the Redshift error, physical id unchanged', async () => {
    const started = await h.invoke(
      request({ RequestType: 'Update', RequestId: 'req-2', PhysicalResourceId: 'Users:existing', ResponseURL: h.cfn.urlFor('update') }),
    );
    expect(started.physicalResourceId).toBe('Users:existing');
    const event = h.data.finish(started.statementId, 'FAILED', { error: 'ERROR: user "alice" already exists' });
    await h.deliver([event]);
    expect(h.cfn.responses[0].body).toEqual({
      Status: 'FAILED',
      PhysicalResourceId: 'Users:existing',
      Reason: 'statement FAILED: ERROR: user "alice" already exists',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
      RequestId: 'req-2',
      LogicalResourceId: 'Users',
      NoEcho: false,
      Data: {
        ...event,
        detail: { ...event.detail, error: 'ERROR: user "alice" already exists' },
        StatementId: started.statementId,
        Rows: -1,
      },
    });
  });

  it('Delete runs only delete SQL; without it, SUCCESS at once and nothing runs', async () => {
    const answered = await h.invoke(request({ RequestType: 'Delete', PhysicalResourceId: 'Users:existing' }));
    expect(answered).toEqual({ outcome: 'answered', physicalResourceId: 'Users:existing' });
    expect(h.cfn.responses[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'Users:existing',
      NoEcho: false,
      Reason: expect.stringMatching(/nothing to run/),
    });
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

  it('a 10 KB error text: the body stays within 4,096 bytes, detail.error is cut first and Reason says so', async () => {
    const started = await h.invoke(request());
    const error = `ERROR: "${'é'.repeat(5_000)}"`; // two bytes per character, quotes to escape
    const event = h.data.finish(started.statementId, 'FAILED', { error });
    await h.deliver([event]);
    const [response] = h.cfn.responses;
    expect(Buffer.byteLength(JSON.stringify(response.body))).toBeLessThanOrEqual(4_096);
    const data = response.body.Data as typeof event & { detail: { error: string }; StatementId: string };
    // Every key of the event is still there; the error is the start of the real one, marked.
    expect(Object.keys(data).sort()).toEqual([...Object.keys(event), 'Rows', 'StatementId'].sort());
    expect(data.detail).toMatchObject({ ...event.detail, error: expect.stringMatching(/…\[truncated\]$/) });
    expect(error.startsWith(data.detail.error.replace('…[truncated]', ''))).toBe(true);
    expect(response.body.Reason).toMatch(
      /^statement FAILED: ERROR: "é+…\[truncated\] \(Data detail\.error truncated to fit CloudFormation's 4096-byte response limit\)$/,
    );
  });

  it('a request missing its identity fields fails the invocation (nobody to answer)', async () => {
    await expect(h.invoke(request({ StackId: undefined }))).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringMatching(/^StackId: /),
    });
  });
});
