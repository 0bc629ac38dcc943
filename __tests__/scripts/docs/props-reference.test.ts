import { readFileSync } from 'node:fs';
import {
  PropsReferenceDriftError,
  PROPS_REFERENCE_PATH,
  readInterfaces,
  renderPropsReference,
  settingOf,
  type PropDoc,
} from '../../../scripts/docs/props-reference';

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
        {
          name: 'needed',
          type: 'string',
          optional: false,
          description: 'Needed. Really.',
          defaultValue: undefined,
          rawDefault: undefined,
          deprecated: undefined,
        },
        {
          name: 'old',
          type: 'number | { a: string }',
          optional: true,
          description: 'Optional one.',
          defaultValue: 'computed from `needed`',
          rawDefault: '- computed from `needed`',
          deprecated: 'use `needed`',
        },
      ],
    });
  });

  it('only exported interfaces are documented', () => {
    expect(readInterfaces('x.ts', 'interface Hidden { readonly x: string }')).toEqual([]);
  });

  describe('settings from the shared table', () => {
    const prop = (name: string, rawDefault?: string): PropDoc => ({
      name,
      type: 'number',
      optional: true,
      description: '',
      rawDefault,
      defaultValue: rawDefault?.replace(/^-\s+/, ''),
    });
    it('shows the values a setting allows next to its default', () => {
      const reference = renderPropsReference();
      expect(reference).toContain('| `fastPathSeconds` | `number` | 1 · allowed: 0 to 30 |');
      expect(reference).toContain("| `abortedErrorName` | `'FAILED' \\| 'ABORTED'` | 'FAILED' · allowed: one of FAILED, ABORTED |");
      expect(reference).toContain('| `functionErrorsThreshold` | `number` | 5 · allowed: 1 to 1,000,000 |');
    });
    it('refuses a @default that disagrees with the table', () => {
      expect(settingOf('', prop('itemTtlSeconds', '86400 (one day)'))?.type).toBe('whole');
      expect(settingOf('', prop('sweepSchedule', "'rate(5 minutes)'"))?.type).toBe('text');
      expect(() => settingOf('', prop('itemTtlSeconds', '3600'))).toThrow(PropsReferenceDriftError);
      expect(() => settingOf('', prop('lambdaTimeout'))).toThrow(
        /lambdaTimeout: @default \(none\) disagrees with SETTINGS.lambdaTimeout.default \(60\)/,
      );
      // No default in the table: the prop must describe what happens instead ("- unreserved").
      expect(settingOf('', prop('reservedConcurrency', '- unreserved'))?.type).toBe('whole');
      expect(() => settingOf('', prop('reservedConcurrency', '5'))).toThrow(PropsReferenceDriftError);
      expect(settingOf(undefined, prop('itemTtlSeconds', '3600'))).toBeUndefined();
      // A grouped option names the setting of the flat prop it replaces.
      expect(settingOf('', prop('memorySize', '256'), { memorySize: 'lambdaMemorySize' })?.type).toBe('whole');
      expect(() => settingOf('', prop('memorySize', '512'), { memorySize: 'lambdaMemorySize' })).toThrow(/lambdaMemorySize/);
    });
  });
});
