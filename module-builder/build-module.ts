/**
 * Writes the Terraform module folder: `main.tf.json` (the module plain Terraform users call, one
 * configuration), the handler zip and a README listing inputs and outputs.
 *
 * The stacks are synthesised into a scratch folder and only the Terraform JSON is taken from there,
 * without cdktf's top-level metadata (cdktf version, "backend: local"); the handler zip is copied once
 * to the module root. Nothing written depends on the machine, the clock or the output path, so two
 * clean builds are byte-identical.
 */
import { App } from 'cdktf';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { locateHandlerBundle } from '../modules/handler-asset';
import { moduleReadme } from './module-readme';
import { MODULE_HANDLER_ZIP, TaskerModuleStack } from './tasker-module-stack';

export interface BuildModuleOptions {
  /** Folder to write the module to; replaced if it holds an earlier build. */
  readonly outDir: string;
}

export interface BuildModuleResult {
  /** Paths of the files written, relative to `outDir`, sorted. */
  readonly files: readonly string[];
  readonly durationMs: number;
}

/** Thrown when the output folder exists and does not look like an earlier module build. */
export class ModuleOutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleOutputDirError';
  }
}

/** Thrown when the synthesised JSON still holds a token marker: a reference cdktf could not render. */
export class ModuleSynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleSynthError';
  }
}

const MODULE_STACK_ID = 'terraform-module';

export function buildTerraformModule(options: BuildModuleOptions): BuildModuleResult {
  const started = performance.now();
  const outDir = resolve(options.outDir);
  clearOutputDir(outDir);
  const bundle = locateHandlerBundle();

  const scratch = mkdtempSync(join(tmpdir(), 'tasker-module-'));
  try {
    const app = new App({ outdir: scratch });
    new TaskerModuleStack(app, MODULE_STACK_ID);
    app.synth();

    const written: string[] = [];
    const write = (relative: string, text: string): void => {
      mkdirSync(dirname(join(outDir, relative)), { recursive: true });
      writeFileSync(join(outDir, relative), text);
      written.push(relative);
    };

    const moduleJson = readStackJson(scratch, MODULE_STACK_ID);
    write('main.tf.json', toJsonText(moduleJson));

    mkdirSync(dirname(join(outDir, MODULE_HANDLER_ZIP)), { recursive: true });
    copyFileSync(bundle.zipPath, join(outDir, MODULE_HANDLER_ZIP));
    written.push(MODULE_HANDLER_ZIP);
    write('README.md', moduleReadme(moduleJson));

    return { files: written.sort(), durationMs: Math.round(performance.now() - started) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Empties `outDir` when it is absent, empty or an earlier build (has `main.tf.json`); refuses anything else. */
function clearOutputDir(outDir: string): void {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes('main.tf.json')) {
      throw new ModuleOutputDirError(`${outDir} is not empty and holds no main.tf.json: refusing to replace it with the Terraform module`);
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
}

/** The stack's Terraform JSON without cdktf's top-level metadata block. */
function readStackJson(scratch: string, stackId: string): Record<string, unknown> {
  const text = readFileSync(join(scratch, 'stacks', stackId, 'cdk.tf.json'), 'utf8');
  // Unresolved token markers would mean a reference cdktf could not render.
  for (const leftover of ['TfToken[', '#{', '&{']) {
    if (text.includes(leftover)) throw new ModuleSynthError(`stack ${stackId}: the synthesised JSON still holds '${leftover}'`);
  }
  const json = JSON.parse(text) as Record<string, unknown>;
  delete json['//'];
  return json;
}

function toJsonText(json: unknown): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}
