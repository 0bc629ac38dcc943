import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { terraformVersion, writeTerraformCliConfig } from './terraform-cli';

/**
 * Runs once before all test files; workers inherit the environment set here. Under CI (CI=true) a missing
 * terraform fails the run, so the Terraform tests can never be skipped silently there.
 * - TMPDIR: cdktf's Testing helpers leave `cdktf.outdir.*` folders in the temp dir; keep them in the project.
 * - TF_CLI_CONFIG_FILE: an offline-capable CLI config (see terraform-cli.ts).
 * - CHECKPOINT_DISABLE: terraform does not call home for version checks.
 */
export default function globalSetup(): void {
  // The Terraform tests skip where terraform is missing; in CI that would hide them, so CI fails instead.
  if (process.env.CI === 'true' && terraformVersion() === undefined) {
    throw new Error('CI=true but terraform is not on PATH: the Terraform validate/plan tests would be skipped');
  }
  const tmp = join(__dirname, '..', '..', '.test-tmp');
  mkdirSync(tmp, { recursive: true });
  process.env.TMPDIR = tmp;
  process.env.TF_CLI_CONFIG_FILE = writeTerraformCliConfig(tmp);
  process.env.CHECKPOINT_DISABLE = '1';
  // The SDK warns that its 2027 releases need Node 22 (the function itself runs on nodejs22.x).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
