import { join } from 'node:path';
import { BenchUsageError, parseArgs } from '../../bench/run';

describe('bench/run: options', () => {
  it('defaults: 3 synth runs, 7 cold starts, JSON to bench/results/latest.json, README untouched', () => {
    expect(parseArgs([])).toEqual({
      updateReadme: false,
      synthRuns: 3,
      coldStartRuns: 7,
      out: join(__dirname, '..', '..', 'bench', 'results', 'latest.json'),
      nodePaths: [process.execPath],
    });
  });

  it('reads every option', () => {
    expect(
      parseArgs([
        '--update-readme',
        '--synth-runs',
        '5',
        '--cold-start-runs',
        '9',
        '--out',
        '/tmp/x.json',
        '--node',
        '/opt/node22/bin/node',
        '--node',
        '/usr/bin/node',
      ]),
    ).toEqual({
      updateReadme: true,
      synthRuns: 5,
      coldStartRuns: 9,
      out: '/tmp/x.json',
      nodePaths: ['/opt/node22/bin/node', '/usr/bin/node'],
    });
  });

  it('refuses unknown options and bad counts', () => {
    expect(() => parseArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseArgs(['--synth-runs', '0'])).toThrow(/--synth-runs needs an integer/);
    expect(() => parseArgs(['--cold-start-runs'])).toThrow(BenchUsageError);
    expect(() => parseArgs(['--out'])).toThrow('--out needs a file name');
    expect(() => parseArgs(['--node'])).toThrow('--node needs the path of a node executable');
  });
});
