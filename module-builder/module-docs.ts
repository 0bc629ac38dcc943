/**
 * Renders a module's inputs and outputs as Markdown tables, in the form `terraform-docs` produces
 * (Name | Description | Type | Default | Required, and Name | Description), from the module's
 * Terraform JSON. Reading the written JSON (not the TypeScript that produced it) keeps the tables
 * true to what Terraform sees.
 */

/** The parts of a Terraform JSON configuration the tables need. */
export interface ModuleJson {
  readonly terraform?: {
    readonly required_version?: string;
    readonly required_providers?: Record<string, { readonly source?: string; readonly version?: string }>;
  };
  readonly variable?: Record<string, { readonly type?: string; readonly description?: string; readonly default?: unknown }>;
  readonly output?: Record<string, { readonly description?: string }>;
}

/** Escapes text for one Markdown table cell (pipes and line breaks would split the row). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A default value written as HCL (what a user would type), or `n/a` for a required input. */
export function formatDefault(hasDefault: boolean, value: unknown): string {
  if (!hasDefault) return 'n/a';
  return `\`${toHcl(value)}\``;
}

function toHcl(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(toHcl).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${k} = ${toHcl(v)}`).join(', ')} }`;
}

/** The Requirements table: Terraform and provider version constraints. */
export function requirementsTable(module: ModuleJson): string {
  const rows = ['| Name | Version |', '|------|---------|'];
  if (module.terraform?.required_version) rows.push(`| terraform | ${cell(module.terraform.required_version)} |`);
  for (const [name, req] of Object.entries(module.terraform?.required_providers ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push(`| ${name} | ${cell(req.version ?? 'any')} |`);
  }
  return rows.join('\n');
}

/** The Inputs table, sorted by name as terraform-docs does. */
export function inputsTable(module: ModuleJson): string {
  const rows = ['| Name | Description | Type | Default | Required |', '|------|-------------|------|---------|:--------:|'];
  for (const [name, v] of Object.entries(module.variable ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const hasDefault = Object.hasOwn(v, 'default');
    rows.push(
      `| ${name} | ${cell(v.description ?? '')} | \`${cell(v.type ?? 'any')}\` | ${cell(formatDefault(hasDefault, v.default))} | ` +
        `${hasDefault ? 'no' : 'yes'} |`,
    );
  }
  return rows.join('\n');
}

/** The Outputs table, sorted by name. */
export function outputsTable(module: ModuleJson): string {
  const rows = ['| Name | Description |', '|------|-------------|'];
  for (const [name, o] of Object.entries(module.output ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push(`| ${name} | ${cell(o.description ?? '')} |`);
  }
  return rows.join('\n');
}

/** Requirements, Inputs and Outputs sections, ready to append to a README. */
export function moduleDocsMarkdown(module: ModuleJson): string {
  return [
    '## Requirements',
    '',
    requirementsTable(module),
    '',
    '## Inputs',
    '',
    inputsTable(module),
    '',
    '## Outputs',
    '',
    outputsTable(module),
    '',
  ].join('\n');
}
