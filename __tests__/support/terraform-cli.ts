/**
 * Terraform CLI setup for tests: an offline-capable CLI config and a check that terraform exists.
 *
 * These machines hold the AWS provider as a filesystem mirror, and `TF_CLI_CONFIG_FILE` names a file
 * that does not exist. The tests write their own CLI config: it installs providers from a mirror where
 * one is found (offline), and from the public registry elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a provider mirror may live: `TF_PROVIDER_MIRROR` first, then the path these machines use. */
const MIRROR_CANDIDATES = [process.env.TF_PROVIDER_MIRROR, '/opt/tf-plugins'].filter((candidate): candidate is string =>
  Boolean(candidate),
);

export function findProviderMirror(): string | undefined {
  return MIRROR_CANDIDATES.find((dir) => existsSync(join(dir, 'registry.terraform.io')));
}

/** The version string of the terraform on PATH, or undefined when there is none. */
export function terraformVersion(): string | undefined {
  try {
    const out = execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}

/** Writes a CLI config into `dir` and returns its path. */
export function writeTerraformCliConfig(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const mirror = findProviderMirror();
  const body = mirror
    ? `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`
    : '# No provider mirror found: providers come from the registry.\n';
  const file = join(dir, 'terraformrc');
  writeFileSync(file, body);
  return file;
}
