import { startHandlerHarness, taskPayload, type HandlerHarness } from '../../../support/handler/harness';

describe('structured logs', () => {
  let h: HandlerHarness;
  let lines: string[];
  let spy: jest.SpyInstance;
  beforeEach(async () => {
    h = await startHandlerHarness({ logLevel: 'DEBUG' });
    lines = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    spy.mockRestore();
    await h.stop();
  });

  it('are JSON, carry the sql hash and length, and never parameter values, SQL text or full tokens', async () => {
    const secret = 'S3cr3t-Pa55word-value';
    const literal = 'literal-in-sql-9876';
    const payload = taskPayload({
      sqlStatement: `select '${literal}' where x = :pw`,
      parameters: [{ name: 'pw', value: secret }],
    });
    const { Id } = await h.invoke(payload);
    await h.deliver([h.data.finish(Id, 'FAILED', { error: 'boom' })]);
    await h.invoke({ sqlStatement: 'select :pw', parameters: [{ name: 'pw', value: secret }] }).catch(() => undefined);
    await h.invoke({ sqlStatement: `select '${literal}'`, taskToken: 'x' }).catch(() => undefined);

    const entries = lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(3);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(literal);
    expect(text).not.toContain(payload.taskToken as string);
    const started = entries.find((entry) => entry.message === 'statement started');
    expect(started).toMatchObject({
      level: 'INFO',
      sqlHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      sqlLength: expect.any(Number),
      parameterCount: 1,
    });
    expect(entries.some((entry) => entry.message === 'task callback sent')).toBe(true);
  });
});
