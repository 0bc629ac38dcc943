import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_END_MARKER, BENCH_START_MARKER, ReadmeMarkersError, replaceBenchSection } from '../../bench/readme-section';

const readme = (inside: string): string =>
  [
    '# Title',
    '',
    '## Other',
    'text | with pipe',
    '',
    '## Benchmarks',
    '',
    BENCH_START_MARKER,
    inside,
    BENCH_END_MARKER,
    '',
    '## After',
    'tail',
  ].join('\n');

describe('bench/readme-section', () => {
  it('replaces only the text between the markers', () => {
    const updated = replaceBenchSection(readme('old table'), '| new | table |\n');
    expect(updated).toBe(readme('\n| new | table |\n'));
    expect(updated).not.toContain('old table');
  });

  it('is stable: replacing twice with the same content changes nothing', () => {
    const once = replaceBenchSection(readme('x'), 'content');
    expect(replaceBenchSection(once, 'content')).toBe(once);
  });

  it('refuses a README without the markers, with two pairs, or with them reversed', () => {
    expect(() => replaceBenchSection('# no markers', 'x')).toThrow(ReadmeMarkersError);
    expect(() => replaceBenchSection(readme('a') + readme('b'), 'x')).toThrow(/found 2 and 2/);
    expect(() => replaceBenchSection(`${BENCH_END_MARKER}\n${BENCH_START_MARKER}`, 'x')).toThrow(/before the start marker/);
  });

  it('docs/benchmarks.md has the generated section with one pair of markers', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'docs', 'benchmarks.md'), 'utf8');
    expect(text).toMatch(/^# Benchmarks\n/);
    expect(text.split(BENCH_START_MARKER)).toHaveLength(2);
    expect(text.split(BENCH_END_MARKER)).toHaveLength(2);
    expect(text.indexOf(BENCH_START_MARKER)).toBeGreaterThan(text.indexOf('# Benchmarks'));
  });
});
