/**
 * A Terraform root folder the conformance suite applies for real: init (offline with the provider mirror,
 * see ../../support/terraform-cli.ts), apply, plan as JSON, state, destroy. Every run is timed.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One resource change of a plan (`terraform show -json` → `resource_changes`), reduced to what tests read. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Top-level attributes whose value differs (known after apply counts as different). */
  readonly attributes: readonly string[];
  /** Top-level attributes that force the resource's replacement. */
  readonly replacedBy: readonly string[];
}

export interface TimedRun {
  readonly args: readonly string[];
  readonly ms: number;
}

export class TerraformRoot {
  /** Every terraform command run so far, with its wall time. */
  public readonly runs: TimedRun[] = [];

  constructor(
    public readonly dir: string,
    private readonly env: Record<string, string | undefined> = {},
  ) {}

  /** Writes `main.tf.json` (the whole configuration). */
  writeConfig(config: Record<string, unknown>): void {
    writeFileSync(join(this.dir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
  }

  async run(args: readonly string[]): Promise<string> {
    const started = Date.now();
    try {
      return await new Promise<string>((resolve, reject) => {
        execFile(
          'terraform',
          [...args],
          {
            cwd: this.dir,
            encoding: 'utf8',
            maxBuffer: 256 * 1024 * 1024,
            env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...this.env },
          },
          (error, stdout, stderr) => {
            // Each command's output stays beside the root, for a look after a slow or failed run.
            writeFileSync(
              join(this.dir, `terraform-${String(this.runs.length + 1).padStart(2, '0')}-${args[0]}.log`),
              `${stdout}\n${stderr}`,
            );
            if (error) reject(new Error(`terraform ${args.join(' ')} failed in ${this.dir}:\n${stderr || stdout}`));
            else resolve(stdout);
          },
        );
      });
    } finally {
      this.runs.push({ args, ms: Date.now() - started });
    }
  }

  init(): Promise<string> {
    return this.run(['init', '-input=false', '-no-color']);
  }

  apply(extra: readonly string[] = []): Promise<string> {
    return this.run(['apply', '-auto-approve', '-input=false', '-no-color', ...extra]);
  }

  /** Applies the plan `plannedChanges` saved last (no second plan). */
  applySavedPlan(): Promise<string> {
    return this.run(['apply', '-input=false', '-no-color', 'conformance.tfplan']);
  }

  destroy(extra: readonly string[] = []): Promise<string> {
    return this.run(['destroy', '-auto-approve', '-input=false', '-no-color', ...extra]);
  }

  /** The changes a plan proposes now, no-ops and reads left out. */
  async plannedChanges(extra: readonly string[] = []): Promise<PlannedChange[]> {
    await this.run(['plan', '-input=false', '-no-color', '-out=conformance.tfplan', ...extra]);
    const plan = JSON.parse(await this.run(['show', '-json', 'conformance.tfplan'])) as { resource_changes?: RawChange[] };
    return (plan.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === 'no-op' || a === 'read')).map(reduceChange);
  }

  /** The resources in the state, by address, with their attribute values. */
  async stateResources(): Promise<Map<string, { type: string; values: Record<string, any> }>> {
    const state = JSON.parse(await this.run(['show', '-json'])) as { values?: { root_module?: StateModule } };
    const found = new Map<string, { type: string; values: Record<string, any> }>();
    const walk = (module: StateModule | undefined): void => {
      for (const resource of module?.resources ?? []) {
        if (resource.mode === 'managed') found.set(resource.address, { type: resource.type, values: resource.values });
      }
      for (const child of module?.child_modules ?? []) walk(child);
    };
    walk(state.values?.root_module);
    return found;
  }

  /** The root module's outputs. */
  async outputs(): Promise<Record<string, any>> {
    const raw = JSON.parse(await this.run(['output', '-json'])) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(raw).map(([name, output]) => [name, output.value]));
  }
}

interface StateModule {
  resources?: Array<{ address: string; mode: string; type: string; values: Record<string, any> }>;
  child_modules?: StateModule[];
}

interface RawChange {
  address: string;
  type: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown>;
    replace_paths?: Array<Array<string | number>>;
  };
}

function reduceChange(raw: RawChange): PlannedChange {
  const { before, after, after_unknown: unknown = {} } = raw.change;
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  // A whole resource created or deleted is its action alone; its attributes say nothing more.
  const wholeResource = raw.change.actions.length === 1 && ['create', 'delete'].includes(raw.change.actions[0]);
  const attributes = wholeResource
    ? []
    : [...keys]
        .filter((key) => unknown[key] === true || JSON.stringify(before?.[key] ?? null) !== JSON.stringify(after?.[key] ?? null))
        .sort();
  const replacedBy = [...new Set((raw.change.replace_paths ?? []).map((path) => String(path[0])))].sort();
  return { address: raw.address, type: raw.type, actions: raw.change.actions, attributes, replacedBy };
}

/** `type.attribute` for every changed attribute of every change, sorted: the plan in one comparable list. */
export function changedAttributes(changes: readonly PlannedChange[]): string[] {
  return [...new Set(changes.flatMap((c) => c.attributes.map((attribute) => `${c.type}.${attribute}`)))].sort();
}
