import { readFileSync } from 'node:fs';
import { PROPS_REFERENCE_PATH, readInterfaces, renderPropsReference } from '../../../scripts/docs/props-reference';

describe('props reference', () => {
  it('docs/construct-props.md is what the sources generate (run scripts/docs/props-reference.ts when this fails)', () => {
    expect(readFileSync(PROPS_REFERENCE_PATH, 'utf8')).toBe(renderPropsReference());
  });

  it('documents every property of SfnRedshiftTaskerProps with a default unless required', () => {
    const reference = renderPropsReference();
    const section = reference.slice(reference.indexOf('### `SfnRedshiftTaskerProps`'));
    for (const prop of ['redshiftTarget', 'namePrefix', 'lambdaTimeout', 'stateMachineArns', 'tags']) {
      expect(section).toContain(`| \`${prop}\` |`);
    }
  });

  it('reads type, optionality, description, @default (without the leading dash) and @deprecated', () => {
    const [doc] = readInterfaces(
      'sample.ts',
      [
        '/** A sample. */',
        'export interface Sample extends Base {',
        '  /** Needed.',
        '   * Really. */',
        '  readonly needed: string;',
        '  /**',
        '   * Optional one.',
        '   * @default - computed from `needed`',
        '   * @deprecated use `needed`',
        '   */',
        '  readonly old?: number | { a: string };',
        '}',
        'interface Hidden { readonly x: string }',
      ].join('\n'),
    );
    expect(doc).toEqual({
      name: 'Sample',
      description: 'A sample.',
      extendsClause: 'extends Base',
      props: [
        { name: 'needed', type: 'string', optional: false, description: 'Needed. Really.', defaultValue: undefined, deprecated: undefined },
        {
          name: 'old',
          type: 'number | { a: string }',
          optional: true,
          description: 'Optional one.',
          defaultValue: 'computed from `needed`',
          deprecated: 'use `needed`',
        },
      ],
    });
  });

  it('only exported interfaces are documented', () => {
    expect(readInterfaces('x.ts', 'interface Hidden { readonly x: string }')).toEqual([]);
  });
});
