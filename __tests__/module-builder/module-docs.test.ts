import { formatDefault, inputsTable, moduleDocsMarkdown, outputsTable } from '../../module-builder/module-docs';

const moduleJson = {
  terraform: { required_version: '>= 1.9.0', required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0, < 7.0' } } },
  variable: {
    name_prefix: { type: 'string', description: 'Prefix | of names' },
    log_level: { type: 'string', description: 'Log level.', default: 'INFO' },
    cluster_identifier: { type: 'string', description: 'Cluster.', default: null },
    tags: { type: 'map(string)', description: 'Tags.', default: {} },
  },
  output: { table_name: { description: 'Table.' }, function_arn: { description: 'Function.' } },
};

describe('module docs tables (terraform-docs form)', () => {
  it('lists inputs sorted by name with type, default and whether required', () => {
    expect(inputsTable(moduleJson).split('\n')).toEqual([
      '| Name | Description | Type | Default | Required |',
      '|------|-------------|------|---------|:--------:|',
      '| cluster_identifier | Cluster. | `string` | `null` | no |',
      '| log_level | Log level. | `string` | `"INFO"` | no |',
      '| name_prefix | Prefix \\| of names | `string` | n/a | yes |',
      '| tags | Tags. | `map(string)` | `{}` | no |',
    ]);
  });

  it('lists outputs sorted by name', () => {
    expect(outputsTable(moduleJson).split('\n').slice(2)).toEqual(['| function_arn | Function. |', '| table_name | Table. |']);
  });

  it('writes defaults as HCL', () => {
    expect(formatDefault(true, { a: 'b', n: [1, 2] })).toBe('`{ a = "b", n = [1, 2] }`');
    expect(formatDefault(false, undefined)).toBe('n/a');
  });

  it('puts requirements, inputs and outputs under their headings', () => {
    const md = moduleDocsMarkdown(moduleJson);
    expect(md).toContain('## Requirements\n\n| Name | Version |\n|------|---------|\n| terraform | >= 1.9.0 |\n| aws | >= 5.0, < 7.0 |');
    expect(md.indexOf('## Inputs')).toBeLessThan(md.indexOf('## Outputs'));
  });
});
