/**
 * Shared by the Terraform module tests: builds the module into a scratch folder and runs the real
 * terraform CLI there (offline, through the CLI config the jest global setup writes).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildTerraformModule } from '../../../module-builder/build-module';
import { terraformVersion } from '../../support/terraform-cli';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The terraform version, or undefined; tests that need it skip (and say so) when it is missing. */
export const TERRAFORM = terraformVersion();
export function describeIfTerraform(title: string, body: () => void): void {
  if (TERRAFORM === undefined) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED "${title}": terraform is not installed on this machine`);
    describe.skip(title, body);
    return;
  }
  describe(title, body);
}

/** A new empty folder under the test temp dir (TMPDIR is set to .test-tmp by the global setup). */
export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

/** Builds the module into `<parent>/terraform-module` and returns that path. */
export function buildModuleIn(parent: string): string {
  const outDir = join(parent, 'terraform-module');
  buildTerraformModule({ outDir });
  return outDir;
}

/**
 * Provider settings for an offline plan, as a Terraform override file: dummy credentials and the
 * provider's switches that skip the STS, account-id and metadata calls.
 */
export const OFFLINE_PROVIDER_OVERRIDE = `provider "aws" {
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
`;

/** Writes a root module (`main.tf` + the offline override) into `dir`. */
export function writeRootModule(dir: string, mainTf: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf'), mainTf);
  writeFileSync(join(dir, 'offline_override.tf'), OFFLINE_PROVIDER_OVERRIDE);
}

/** A root module in `dir`: an AWS provider (eu-west-1) and `blocks` (module calls, variables), initialised. */
export function initRootModule(dir: string, blocks: string): string {
  writeRootModule(dir, `provider "aws" {\n  region = "eu-west-1"\n}\n\n${blocks}`);
  const init = terraform(dir, ['init', '-input=false', '-no-color']);
  if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  return dir;
}

export interface TerraformRun {
  readonly status: number | null;
  /** stdout and stderr together, without colour codes. */
  readonly output: string;
  readonly ms: number;
}

export function terraform(cwd: string, args: readonly string[]): TerraformRun {
  const started = performance.now();
  const run = spawnSync('terraform', [...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    timeout: 120_000,
    // `providers schema -json` prints tens of megabytes.
    maxBuffer: 512 * 1024 * 1024,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, ms: Math.round(performance.now() - started) };
}

/** Terraform wraps long messages over lines with a box-drawing margin; this joins them back. */
export function flatten(output: string): string {
  return output.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
}

/** Every file under `dir`, as sorted relative paths. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current)) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(relative(dir, full));
    }
  };
  walk(dir);
  return files.sort();
}

/** Copies the example folder into `dest`, without any local terraform state or plugins. */
export function copyExample(exampleDir: string, dest: string): void {
  cpSync(exampleDir, dest, {
    recursive: true,
    filter: (src) => !/[\\/](\.terraform|terraform\.tfstate[^\\/]*|\.terraform\.lock\.hcl)$/.test(src),
  });
}
