/**
 * `moto_server` (an AWS emulator nobody here wrote) for the conformance suite: found on PATH, started on
 * a free loopback port, stopped by its own PID.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { freeLoopbackPort } from '../../support/free-port';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints` and `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly pid: number;
  /** Kills this server (its PID only) and waits for it to exit. */
  stop(): Promise<void>;
}

/** The path of `moto_server`, or undefined when this machine has none. */
export function findMotoServer(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Starts moto on a free loopback port and resolves once it answers HTTP. */
export async function startMotoServer(executable: string, timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freeLoopbackPort();
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep only the tail: moto logs every request.
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const server: MotoServer = { endpoint, pid: child.pid ?? -1, stop: () => stopChild(child) };
  try {
    await waitUntilAnswering(endpoint, child, timeoutMs);
  } catch (error) {
    await server.stop();
    throw new Error(`moto_server did not start on ${endpoint}: ${(error as Error).message}\n${stderr}`);
  }
  return server;
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      // moto's own dashboard endpoint: answers as soon as the server listens.
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
