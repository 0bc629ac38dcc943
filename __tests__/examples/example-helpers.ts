/**
 * Helpers for the example-app tests: offline Terraform runs and output normalisation.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { type App, TerraformStack } from 'cdktf';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Lets `terraform plan` run without AWS: dummy keys and the provider's flags that skip the STS and
 * metadata calls. Applied to the test's copy of the stack only; the example itself carries no credentials.
 */
export function makeProvidersOffline(app: App): void {
  for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
    for (const provider of stack.node.findAll().filter((c): c is AwsProvider => c instanceof AwsProvider)) {
      provider.addOverride('access_key', 'offline-test');
      provider.addOverride('secret_key', 'offline-test');
      provider.addOverride('skip_credentials_validation', true);
      provider.addOverride('skip_requesting_account_id', true);
      provider.addOverride('skip_metadata_api_check', 'true');
    }
  }
}

/** Runs terraform in `cwd` (environment inherited: TF_CLI_CONFIG_FILE points at the offline mirror config). */
export function terraform(cwd: string, args: string[]): string {
  return execFileSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Every file below `dir`, as sorted paths relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out;
}

/**
 * Replaces the handler bundle's hashes (which change whenever the handler's code does) with placeholders,
 * so the snapshot pins the infrastructure, not the handler's bytes.
 */
export function normaliseHandlerHashes(json: string): string {
  return json
    .replace(/("source_code_hash": )"[A-Za-z0-9+/=]{44}"/g, '$1"<HANDLER_SHA256>"')
    .replace(/(\/HandlerBundle_[0-9A-F]{8}\/|_HandlerBundle_[0-9A-F]{8}\/)[0-9A-F]{32}\//g, '$1<HANDLER_MD5>/');
}
