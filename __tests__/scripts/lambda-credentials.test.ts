/**
 * The shipped bundle replaces the SDK's default credential chain with the one Lambda needs
 * (scripts/handler-bundle/lambda-credentials.mjs): environment keys with the session token Lambda
 * sets, else the container credentials endpoint. Each case runs the real bundle in a fresh `node`
 * with only the variables given, against a local DynamoDB stand-in that records how the call was signed.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureHandlerZip } from '../../local/lambda/handler-bundle';
import { readZipEntry } from '../../local/lambda/zip-reader';
import { startJsonServer, type JsonServer } from '../support/handler/json-server';

const SCHEDULED_SWEEP = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

let dir: string;
let bundle: string;
let dynamo: JsonServer;
const signed: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-credentials-'));
  bundle = join(dir, 'index.js');
  writeFileSync(bundle, readZipEntry(ensureHandlerZip(), 'index.js'));
  // An empty table: every call the sweep makes gets an empty answer.
  dynamo = await startJsonServer('application/x-amz-json-1.0', (_operation, _body, headers) => {
    signed.push(headers);
    return { status: 200, body: { Items: [], Count: 0, ScannedCount: 0 } };
  });
});

afterAll(async () => {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  signed.length = 0;
});

/** Invokes the bundle's handler with the sweep event in a child that sees only `env` (plus PATH). */
async function sweepWith(env: Record<string, string>): Promise<{ ok: boolean; text: string }> {
  const script = `require(${JSON.stringify(bundle)}).handler(${JSON.stringify(SCHEDULED_SWEEP)}, {})
    .then((r) => { console.log(JSON.stringify({ ok: true, r })); process.exit(0); },
          (e) => { console.log(JSON.stringify({ ok: false, name: e.name, message: e.message })); process.exit(0); });`;
  const home = mkdtempSync(join(dir, 'home-'));
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      TRACKING_TABLE_NAME: 'tracking',
      REDSHIFT_DATABASE: 'dev',
      REDSHIFT_CLUSTER_IDENTIFIER: 'cluster',
      REDSHIFT_DB_USER: 'user',
      ...env,
    },
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return { ok: (JSON.parse(line) as { ok: boolean }).ok, text: line };
}

describe('the bundled credential chain', () => {
  it('signs with the key, secret and session token Lambda puts in the environment', async () => {
    const result = await sweepWith({
      AWS_ACCESS_KEY_ID: 'ASIALAMBDAROLEKEY',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-session-token',
    });
    expect(result).toMatchObject({ ok: true });
    // The first sweep of a table: its one-off upgrade pass (marker read, Scan, marker written), then the two Queries (pending
    // callbacks, then running calls), each signed with the role's key.
    expect(signed.map((headers) => headers['x-amz-target'])).toEqual(
      ['GetItem', 'Scan', 'PutItem', 'Query', 'Query'].map((operation) => `DynamoDB_20120810.${operation}`),
    );
    for (const headers of signed) {
      expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIALAMBDAROLEKEY\/\d{8}\/us-east-1\/dynamodb\/aws4_request/);
      expect(headers['x-amz-security-token']).toBe('role-session-token');
    }
  });

  it('falls back to the container credentials endpoint (full URI and authorization token) when the environment has no keys', async () => {
    const credentialRequests: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      credentialRequests.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          AccessKeyId: 'ASIACONTAINERKEY',
          SecretAccessKey: 'container-secret',
          Token: 'container-token',
          Expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await sweepWith({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/2021-04-23/credentials`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth',
      });
      expect(result).toMatchObject({ ok: true });
      expect(credentialRequests).toHaveLength(1);
      expect(credentialRequests[0].authorization).toBe('container-auth');
      expect(signed).toHaveLength(5); // as above: the upgrade pass's three calls and the two Queries
      for (const headers of signed) {
        expect(headers.authorization).toMatch(/Credential=ASIACONTAINERKEY\//);
        expect(headers['x-amz-security-token']).toBe('container-token');
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reads no shared credentials file or profile: without Lambda’s variables it fails with a named error and calls nothing', async () => {
    const files = mkdtempSync(join(dir, 'aws-'));
    writeFileSync(join(files, 'credentials'), '[default]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = from-file\n');
    const result = await sweepWith({ AWS_SHARED_CREDENTIALS_FILE: join(files, 'credentials'), AWS_CONFIG_FILE: join(files, 'config') });
    expect(result.ok).toBe(false);
    expect(result.text).toMatch(/CredentialsProviderError/);
    expect(result.text).toMatch(/AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY nor a container credentials endpoint/);
    expect(signed).toHaveLength(0);
  });
});
