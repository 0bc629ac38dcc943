/**
 * The lifecycle every conformance file shares: choose the target, start `moto_server` (stopped by its own
 * PID afterwards), give each file a scratch folder, and skip with one line where moto is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceMode, conformanceNamePrefix, type ConformanceTarget } from './conformance-target';
import { findMotoServer, startMotoServer, type MotoServer } from './moto-server';

export interface ConformanceContext {
  readonly target: ConformanceTarget;
  /** A folder of this file's own (Terraform roots go below it). */
  readonly workDir: string;
}

export const SKIP_NOTICE =
  'conformance suite skipped: moto_server is not on PATH (pip install "moto[server]" to run it; CONFORMANCE_TARGET=aws runs it against ' +
  'an account, see docs/conformance.md)';

/**
 * `describe(title)` with the target set up before `body`'s hooks and torn down after them (`body` runs in a
 * nested block, so its `afterAll` — destroy — runs before moto stops).
 */
export function conformanceSuite(title: string, body: (context: () => ConformanceContext) => void): void {
  const mode = conformanceMode();
  const moto = mode === 'emulator' ? findMotoServer() : undefined;
  if (mode === 'emulator' && moto === undefined) {
    if (process.env.CI === 'true') {
      // CI machines have moto (measured-facts.md): a skip there would hide the suite.
      test(`${title}: moto_server is on PATH`, () => {
        throw new Error(`CI=true but ${SKIP_NOTICE}`);
      });
      return;
    }
    noticeSkipOnce();
    test.skip(SKIP_NOTICE, () => undefined);
    return;
  }

  describe(title, () => {
    let server: MotoServer | undefined;
    let context: ConformanceContext | undefined;
    beforeAll(async () => {
      if (moto !== undefined) server = await startMotoServer(moto);
      const region = mode === 'aws' ? (process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1') : 'us-east-1';
      const base = join(process.env.TMPDIR ?? tmpdir(), 'conformance');
      mkdirSync(base, { recursive: true });
      context = {
        target: { mode, region, namePrefix: conformanceNamePrefix(mode), endpoint: server?.endpoint },
        workDir: mkdtempSync(join(base, 'run-')),
      };
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    describe('on the target', () => {
      body(() => {
        if (context === undefined) throw new Error('the conformance target did not start (see the first failure)');
        return context;
      });
    });
  });
}

/** Prints SKIP_NOTICE once per jest run, however many conformance files skip. */
function noticeSkipOnce(): void {
  const marker = join(process.env.TMPDIR ?? tmpdir(), 'conformance-skip-notice');
  const run = String(process.ppid);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === run) return;
  writeFileSync(marker, run);
  process.stderr.write(`${SKIP_NOTICE}\n`);
}
