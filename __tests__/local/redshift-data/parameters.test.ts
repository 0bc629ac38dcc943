import { bindParameters, validateParameters } from '../../../local/redshift-data/parameters';

const p = (name: string, value: string) => ({ name, value });

describe('bindParameters', () => {
  it('replaces named parameters with positions in order of first use', () => {
    const bound = bindParameters('select * from t where a = :a and b = :b or a2 = :a', [p('b', '2'), p('a', '1')]);
    expect(bound).toEqual({ text: 'select * from t where a = $1 and b = $2 or a2 = $1', values: ['1', '2'] });
  });

  it('leaves casts, quoted strings, identifiers, comments and dollar quotes alone', () => {
    const sql = [
      "select :x::int, ':x', 'it''s :x', E'\\':x', \"col:x\", $$ :x $$, $tag$ :x $tag$",
      '-- :x in a line comment',
      '/* :x /* nested :x */ still :x */ :x',
    ].join('\n');
    const bound = bindParameters(sql, [p('x', '7')]);
    expect(bound.values).toEqual(['7']);
    expect(bound.text).toBe(
      [
        "select $1::int, ':x', 'it''s :x', E'\\':x', \"col:x\", $$ :x $$, $tag$ :x $tag$",
        '-- :x in a line comment',
        '/* :x /* nested :x */ still :x */ $1',
      ].join('\n'),
    );
  });

  it('does not treat a longer name as a shorter parameter', () => {
    expect(bindParameters('select :ab, :a', [p('a', '1')])).toEqual({ text: 'select :ab, $1', values: ['1'] });
  });

  it('returns the SQL untouched without parameters', () => {
    expect(bindParameters("select ':a', :a", [])).toEqual({ text: "select ':a', :a", values: [] });
  });
});

describe('validateParameters', () => {
  it('accepts a list of name/value pairs', () => {
    expect(validateParameters([{ name: 'a_1', value: 'x' }])).toEqual([{ name: 'a_1', value: 'x' }]);
    expect(validateParameters(undefined)).toEqual([]);
  });

  it.each([
    [[], /non-empty/],
    ['x', /non-empty/],
    [[{ name: 'a-b', value: '1' }], /must match/],
    [[{ value: '1' }], /must match/],
    [[{ name: 'a' }], /string value/],
    [[{ name: 'a', value: 1 }], /string value/],
    [[p('a', '1'), p('a', '2')], /more than once/],
  ])('refuses %j', (input, message) => {
    expect(() => validateParameters(input)).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: expect.stringMatching(message) }),
    );
  });
});
