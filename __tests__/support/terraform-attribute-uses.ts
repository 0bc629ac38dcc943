/**
 * Which provider arguments and attributes a Terraform JSON configuration uses, and which of them a provider
 * schema (`terraform providers schema -json`) marks deprecated: what makes `terraform plan` print
 * "Deprecated attribute" / "Argument is deprecated".
 */

/**
 * One use: `kind` `type` (`resource` `aws_sqs_queue`), the argument or attribute `path` (`redrive_policy`,
 * `scaling_config.maximum_concurrency`).
 */
export interface AttributeUse {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly path: string;
  /** Set as an argument in a block, or read through a reference (`data.aws_region.x.name`). */
  readonly how: 'argument' | 'reference';
}

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection', '//']);
// `aws_x.name.attr` or `data.aws_x.name.attr` inside an interpolation; the type must be a provider's (`aws_`).
const REFERENCE = /(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)\.([a-z_][a-z0-9_]*)/g;

/** Every argument set and every attribute referenced, in a Terraform JSON configuration (`cdk.tf.json`, `main.tf.json`). */
export function attributeUses(config: { resource?: unknown; data?: unknown }, text: string = JSON.stringify(config)): AttributeUse[] {
  const uses = new Map<string, AttributeUse>();
  const add = (use: AttributeUse): void => {
    uses.set(`${use.kind} ${use.type} ${use.path} ${use.how}`, use);
  };
  for (const kind of ['resource', 'data'] as const) {
    const byType = (config[kind] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [type, instances] of Object.entries(byType)) {
      for (const body of Object.values(instances)) {
        for (const path of argumentPaths(body)) add({ kind, type, path, how: 'argument' });
      }
    }
  }
  for (const match of text.matchAll(REFERENCE)) {
    add({ kind: match[1] ? 'data' : 'resource', type: match[2], path: match[4], how: 'reference' });
  }
  return [...uses.values()].sort((a, b) => `${a.kind}${a.type}${a.path}`.localeCompare(`${b.kind}${b.type}${b.path}`));
}

/** Argument paths set in a block body; a nested block (an object, or a list of objects) adds `block.argument`. */
function argumentPaths(body: unknown, prefix = ''): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
    if (prefix === '' && META_ARGUMENTS.has(key)) return [];
    if (key === 'dynamic') return dynamicBlockPaths(value, prefix);
    const path = `${prefix}${key}`;
    const blocks = Array.isArray(value) ? value : [value];
    const nested = blocks.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)) && blocks.length > 0;
    return nested ? [path, ...blocks.flatMap((item) => argumentPaths(item, `${path}.`))] : [path];
  });
}

/**
 * `dynamic "<block>" { for_each, content { ... } }` sets the nested block `<block>` with the arguments of
 * its `content`; `for_each` and `iterator` belong to the dynamic block, not to the provider's schema.
 */
function dynamicBlockPaths(dynamic: unknown, prefix: string): string[] {
  const blocks = Array.isArray(dynamic) ? dynamic : [dynamic];
  return blocks.flatMap((byName) =>
    Object.entries((byName ?? {}) as Record<string, unknown>).flatMap(([name, spec]) => {
      const content = (spec as { content?: unknown } | null)?.content;
      return [`${prefix}${name}`, ...argumentPaths(content, `${prefix}${name}.`)];
    }),
  );
}

interface SchemaBlock {
  attributes?: Record<string, { deprecated?: boolean }>;
  block_types?: Record<string, { block: SchemaBlock }>;
  deprecated?: boolean;
}

export interface ProviderSchema {
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas: Record<string, { block: SchemaBlock }>;
}

/**
 * What the schema says of a use: `deprecated`, `unknown` (no such type or attribute: a typo, or something
 * the provider removed), or `ok`. Nested blocks whose contents are free-form JSON (maps) end the walk as `ok`.
 */
export function schemaStatus(schema: ProviderSchema, use: AttributeUse): 'ok' | 'deprecated' | 'unknown' {
  const types = use.kind === 'resource' ? schema.resource_schemas : schema.data_source_schemas;
  let block: SchemaBlock | undefined = types[use.type]?.block;
  if (!block) return 'unknown';
  const parts = use.path.split('.');
  for (const [index, part] of parts.entries()) {
    const attribute = block.attributes?.[part];
    if (attribute) {
      // An attribute of map or object type may hold keys of its own below it.
      return attribute.deprecated ? 'deprecated' : 'ok';
    }
    const nested: SchemaBlock | undefined = block.block_types?.[part]?.block;
    if (!nested) return index === 0 && part === 'id' ? 'ok' : 'unknown';
    if (nested.deprecated) return 'deprecated';
    block = nested;
  }
  return 'ok';
}
