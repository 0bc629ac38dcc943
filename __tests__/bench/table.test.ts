import { formatBytes, formatDollars, formatDuration, formatNumber, formatRatio, formatTable, TableShapeError } from '../../bench/table';

describe('bench/table', () => {
  it('pads every column to its widest cell, with alignment colons for right-aligned columns', () => {
    const table = formatTable(
      [{ title: 'Measure' }, { title: 'Ours', align: 'right' }, { title: 'Alt ÷ ours', align: 'right' }],
      [
        ['Synth', '1.1 s', '4.2×'],
        ['Cold start of the handler', '110 ms', '–'],
      ],
    );
    expect(table).toBe(
      [
        '| Measure                   |   Ours | Alt ÷ ours |',
        '| ------------------------- | -----: | ---------: |',
        '| Synth                     |  1.1 s |       4.2× |',
        '| Cold start of the handler | 110 ms |          – |',
      ].join('\n'),
    );
  });

  it('lines up: every line has the same display width', () => {
    const table = formatTable(
      [{ title: 'a' }, { title: 'b', align: 'right' }],
      [
        ['x', '1'],
        ['longer cell ×', '22'],
      ],
    );
    const widths = table.split('\n').map((line) => [...line].length);
    expect(new Set(widths).size).toBe(1);
  });

  it('escapes pipes and newlines inside cells', () => {
    const table = formatTable([{ title: 'a|b' }], [['x|y\nz']]);
    expect(table.split('\n')).toEqual(['| a\\|b   |', '| ------ |', '| x\\|y z |']);
  });

  it('refuses rows with the wrong number of cells, and tables without columns', () => {
    expect(() => formatTable([{ title: 'a' }, { title: 'b' }], [['only one']])).toThrow(TableShapeError);
    expect(() => formatTable([], [])).toThrow('at least one column');
  });

  it('formats numbers, durations, bytes, dollars and ratios', () => {
    expect(formatNumber(1234.56, 1)).toBe('1,234.6');
    expect(formatNumber(2.5, 2)).toBe('2.5');
    expect(formatDuration(4.25)).toBe('4.3 ms');
    expect(formatDuration(112.4)).toBe('112 ms');
    expect(formatDuration(1840)).toBe('1.84 s');
    expect(formatDuration(13_520)).toBe('13.5 s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatDollars(4562.5)).toBe('$4,563');
    expect(formatDollars(34.768)).toBe('$34.77');
    expect(formatDollars(0.2649)).toBe('$0.26');
    expect(formatDollars(0.00025)).toBe('$0.00025');
    expect(formatRatio(5.5)).toBe('5.5×');
    expect(formatRatio(182.5)).toBe('183×');
    expect(formatRatio(undefined)).toBe('–');
  });
});
