import { choice, definition, describeRule, fail, parallel, pass, sqlTask, succeed, toMermaid, wait } from '../../../modules/sfn';
import { TASKER_ARN } from './asl-validate';

describe('toMermaid', () => {
  it('draws a small definition exactly', () => {
    const machine = definition({
      states: [
        sqlTask(TASKER_ARN, 'Load "raw"', { sql: 'SELECT 1', next: 'Check', catchFailed: 'Failed' }),
        choice('Check', {
          choices: [{ when: { Variable: '$.detail.rows', NumericGreaterThan: 0 }, next: 'Both' }],
          otherwise: 'Done',
        }),
        parallel('Both', {
          branches: [[pass('Left')], [wait('Pause', { seconds: 1, next: 'Right' }), pass('Right')]],
          next: 'Done',
        }),
        succeed('Done'),
        fail('Failed', { error: 'LoadFailed' }),
      ],
    });
    expect(toMermaid(machine)).toBe(
      [
        'flowchart TD',
        '  start(("Start"))',
        '  s1["Load #quot;raw#quot;"]',
        '  s2{"Check"}',
        '  subgraph s3 ["Both"]',
        '    subgraph s3_b1 ["Branch 1"]',
        '      direction TB',
        '      s4("Left")',
        '    end',
        '    subgraph s3_b2 ["Branch 2"]',
        '      direction TB',
        '      s5[/"Pause"/]',
        '      s6("Right")',
        '    end',
        '  end',
        '  s7(["Done"])',
        '  s8(["Failed"])',
        '  finish(("End"))',
        '  start --> s1',
        '  s1 --> s2',
        '  s1 -.->|"FAILED"| s8',
        '  s2 -->|"$.detail.rows #gt; 0"| s3',
        '  s2 -->|"Default"| s7',
        '  s3 --> s7',
        '  s5 --> s6',
        '  s7 --> finish',
        '  classDef failState fill:#fde2e2,stroke:#c0392b',
        '  class s8 failState',
        '',
      ].join('\n'),
    );
  });

  it('is deterministic and depends only on the definition', () => {
    const build = () =>
      definition({ states: [sqlTask(TASKER_ARN, 'A', { sql: 'SELECT 1', catchTimeout: 'B', catchAll: 'B' }), pass('B')] });
    expect(toMermaid(build())).toBe(toMermaid(build()));
    expect(toMermaid(build())).toBe(
      toMermaid(definition({ states: [sqlTask('arn:other', 'A', { sql: 'SELECT 2', catchTimeout: 'B', catchAll: 'B' }), pass('B')] })),
    );
  });

  it('labels catch edges with all their error names and leaves out the End node when nothing ends', () => {
    const out = toMermaid(
      definition({ states: [sqlTask(TASKER_ARN, 'A', { sql: 'SELECT 1', catchTimeout: 'Stop', next: 'Stop' }), fail('Stop')] }),
    );
    expect(out).toContain('  s1 -.->|"States.Timeout, States.HeartbeatTimeout"| s2\n');
    expect(out).not.toContain('finish');
  });

  it('escapes characters that would break a label', () => {
    const out = toMermaid(definition({ states: [pass('a <b> #1\n"q"')] }));
    expect(out).toContain('  s1("a #lt;b#gt; #35;1 #quot;q#quot;")\n');
  });
});

describe('describeRule', () => {
  it.each([
    [{ Variable: '$.s', StringEquals: 'FINISHED' }, '$.s == "FINISHED"'],
    [{ Variable: '$.n', NumericGreaterThanEquals: 3 }, '$.n >= 3'],
    [{ Variable: '$.n', NumericLessThanPath: '$.max' }, '$.n < $.max'],
    [{ Variable: '$.s', StringMatches: 'log-*' }, '$.s matches "log-*"'],
    [{ Variable: '$.x', IsPresent: false }, '$.x is absent'],
    [{ Variable: '$.x', IsNull: true }, '$.x is null'],
    [{ Variable: '$.t', TimestampEquals: '2030-01-01T00:00:00Z' }, '$.t == "2030-01-01T00:00:00Z"'],
    [{ Variable: '$.b', IsBoolean: true }, '$.b IsBoolean true'],
    [{ Not: { Variable: '$.b', BooleanEquals: true } }, 'not ($.b == true)'],
    [
      {
        Or: [
          { Variable: '$.a', IsNull: true },
          { Variable: '$.b', IsNull: true },
        ],
      },
      '($.a is null) or ($.b is null)',
    ],
  ])('describes %j as %s', (rule, text) => {
    expect(describeRule(rule)).toBe(text);
  });
});
