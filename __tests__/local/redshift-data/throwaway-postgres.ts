/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, `pg_ctl start` on a free
 * 127.0.0.1 port (about 2 s together), `stop()` kills it and removes the directory.
 *
 * `initdb` and `pg_ctl` refuse to run as root: as root they run as the `postgres` user (`runuser`), and the
 * server's directory is made by that user in the system temporary directory, not under the checkout: the
 * checkout may sit in a folder only its owner can enter (`mktemp -d` gives 0700, so does `/root`), and the jest
 * setup points TMPDIR into the checkout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freeLoopbackPort } from '../../support/free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly connectionString: string;
  readonly port: number;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Why a server cannot be started here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  for (const binary of ['initdb', 'pg_ctl', 'postgres']) {
    if (spawnSync(binary, ['--version']).error) return `\`${binary}\` is not on the PATH`;
  }
  if (asRoot) {
    if (spawnSync('runuser', ['--help']).error) return 'running as root and `runuser` is missing (initdb refuses root)';
    const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (user.status !== 0) return 'running as root and there is no `postgres` user to run initdb as';
  }
  return undefined;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = asRoot ? postgresOwnedTempDir() : mkdtempSync(join(tmpdir(), 'pg-'));
  const dataDir = join(dir, 'data');
  const port = await freeLoopbackPort();
  try {
    run('initdb', ['-D', dataDir, '--auth=trust', '--no-sync', '-U', 'postgres', '--encoding=UTF8', '--locale=C']);
    const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
    run('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh directory owned by the `postgres` user under the system temporary directory (mode 0700). */
function postgresOwnedTempDir(): string {
  const env = { ...process.env };
  delete env.TMPDIR;
  const made = spawnSync('runuser', ['-u', 'postgres', '--', 'mktemp', '-d', '-t', 'throwaway-pg-XXXXXX'], {
    encoding: 'utf8',
    env,
  });
  if (made.error) throw made.error;
  if (made.status !== 0) throw new Error(`mktemp as postgres failed (exit ${made.status}): ${made.stderr}`);
  return made.stdout.trim();
}

function run(binary: string, args: string[]): void {
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${binary} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
}
