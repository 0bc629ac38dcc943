import {
  branch,
  choice,
  definition,
  fail,
  InvalidDefinitionError,
  InvalidStateOptionsError,
  parallel,
  pass,
  sqlTask,
  succeed,
  validateDefinition,
  wait,
  type StateMachineDefinition,
} from '../../../modules/sfn';
import { expectValidAsl, TASKER_ARN } from './asl-validate';

function expectDefinitionError(build: () => unknown, code: InvalidDefinitionError['code'], message: RegExp): void {
  let caught: unknown;
  try {
    build();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidDefinitionError);
  expect((caught as InvalidDefinitionError).code).toBe(code);
  expect((caught as Error).message).toMatch(message);
}

describe('definition', () => {
  it('starts at the first state, keeps the given order and puts the options in ASL form', () => {
    const machine = definition({
      comment: 'demo',
      timeoutSeconds: 120,
      states: [pass('B', { next: 'A' }), succeed('A')],
    });
    expect(machine).toEqual({
      Comment: 'demo',
      StartAt: 'B',
      TimeoutSeconds: 120,
      States: { B: { Type: 'Pass', Next: 'A' }, A: { Type: 'Succeed' } },
    });
    expect(Object.keys(machine.States)).toEqual(['B', 'A']);
    expectValidAsl(machine);
  });

  it('starts where startAt says', () => {
    const machine = definition({ startAt: 'A', states: [pass('B'), pass('A', { next: 'B' })] });
    expect(Object.keys(machine.States)).toEqual(['B', 'A']);
    expect(machine.StartAt).toBe('A');
    expectValidAsl(machine);
  });

  it('builds every helper state into a valid definition', () => {
    const machine = definition({
      states: [
        wait('Wait a bit', { seconds: 1, next: 'Route' }),
        choice('Route', {
          choices: [
            { when: { Variable: '$.mode', StringEquals: 'parallel' }, next: 'Both' },
            {
              when: {
                And: [
                  { Variable: '$.n', IsPresent: true },
                  { Variable: '$.n', NumericGreaterThan: 3 },
                ],
              },
              next: 'Shape',
            },
          ],
          otherwise: 'Nope',
        }),
        parallel('Both', {
          branches: [
            [sqlTask(TASKER_ARN, 'Left', { sql: 'SELECT 1' })],
            branch({ states: [pass('Right first', { next: 'Right second' }), pass('Right second')], comment: 'right' }),
          ],
          resultPath: '$.both',
          retry: [{ ErrorEquals: ['States.BranchFailed'], MaxAttempts: 1 }],
          catch: [{ ErrorEquals: ['FAILED'], Next: 'Nope' }],
          catchAll: 'Nope',
          next: 'Shape',
        }),
        pass('Shape', { parameters: { 'x.$': '$.both' }, resultPath: '$.shaped', result: undefined, next: 'Until' }),
        wait('Until', { timestampPath: '$.when', next: 'Done' }),
        succeed('Done', { comment: 'ok' }),
        fail('Nope', { error: 'E', cause: 'C', comment: 'bad' }),
      ],
    });
    expect(machine.States.Route).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.mode', StringEquals: 'parallel', Next: 'Both' },
        {
          And: [
            { Variable: '$.n', IsPresent: true },
            { Variable: '$.n', NumericGreaterThan: 3 },
          ],
          Next: 'Shape',
        },
      ],
      Default: 'Nope',
    });
    expect(machine.States.Both).toMatchObject({
      Type: 'Parallel',
      ResultPath: '$.both',
      Catch: [
        { ErrorEquals: ['FAILED'], Next: 'Nope' },
        { ErrorEquals: ['States.ALL'], Next: 'Nope', ResultPath: '$.error' },
      ],
      Next: 'Shape',
    });
    expect((machine.States.Both as { Branches: unknown[] }).Branches[1]).toEqual({
      Comment: 'right',
      StartAt: 'Right first',
      States: { 'Right first': { Type: 'Pass', Next: 'Right second' }, 'Right second': { Type: 'Pass', End: true } },
    });
    expect(machine.States.Nope).toEqual({ Type: 'Fail', Comment: 'bad', Error: 'E', Cause: 'C' });
    expect(machine.States['Wait a bit']).toEqual({ Type: 'Wait', Seconds: 1, Next: 'Route' });
    expectValidAsl(machine);
  });

  it('refuses a Next to a missing state', () => {
    expectDefinitionError(
      () => definition({ states: [pass('A', { next: 'Missing' })] }),
      'UNKNOWN_TRANSITION_TARGET',
      /"A" goes \(next\) to "Missing"/,
    );
  });

  it('refuses a Default, a Choice rule and a Catch to a missing state', () => {
    expectDefinitionError(
      () =>
        definition({
          states: [choice('C', { choices: [{ when: { Variable: '$.a', IsNull: true }, next: 'A' }], otherwise: 'Gone' }), succeed('A')],
        }),
      'UNKNOWN_TRANSITION_TARGET',
      /\(default\) to "Gone"/,
    );
    expectDefinitionError(
      () => definition({ states: [choice('C', { choices: [{ when: { Variable: '$.a', IsNull: true }, next: 'Gone' }] })] }),
      'UNKNOWN_TRANSITION_TARGET',
      /\(choice\) to "Gone"/,
    );
    expectDefinitionError(
      () => definition({ states: [sqlTask(TASKER_ARN, 'Q', { sql: 'SELECT 1', catchFailed: 'Gone' })] }),
      'UNKNOWN_TRANSITION_TARGET',
      /\(catch\) to "Gone"/,
    );
  });

  it('refuses a branch state that jumps out of its branch', () => {
    expectDefinitionError(
      () => definition({ states: [parallel('P', { branches: [[pass('Inner', { next: 'Outer' })]], next: 'Outer' }), succeed('Outer')] }),
      'UNKNOWN_TRANSITION_TARGET',
      /branch 1 of "P"/,
    );
  });

  it('refuses duplicate state names, in one scope and across branches', () => {
    expectDefinitionError(() => definition({ states: [pass('A', { next: 'A' }), pass('A')] }), 'DUPLICATE_STATE_NAME', /"A" is used twice/);
    expectDefinitionError(
      () => definition({ states: [parallel('P', { branches: [[pass('Same')], [pass('Same')]] })] }),
      'DUPLICATE_STATE_NAME',
      /"Same" is used twice/,
    );
    expectDefinitionError(
      () => definition({ states: [parallel('P', { branches: [[pass('P')]] })] }),
      'DUPLICATE_STATE_NAME',
      /"P" is used twice/,
    );
  });

  it('refuses a state nothing leads to, in the machine and in a branch', () => {
    expectDefinitionError(
      () => definition({ states: [pass('A'), pass('Orphan')] }),
      'UNREACHABLE_STATE',
      /"Orphan" of the state machine is not reachable from "A"/,
    );
    expectDefinitionError(
      () => definition({ states: [parallel('P', { branches: [[pass('In'), pass('Stray')]] })] }),
      'UNREACHABLE_STATE',
      /"Stray" of branch 1 of "P"/,
    );
  });

  it('refuses an unknown startAt, no states, and bad state names', () => {
    expectDefinitionError(() => definition({ startAt: 'Nowhere', states: [pass('A')] }), 'UNKNOWN_START_STATE', /StartAt "Nowhere"/);
    expectDefinitionError(() => definition({ states: [] }), 'EMPTY', /no states/);
    expectDefinitionError(() => definition({ states: [pass('')] }), 'INVALID_STATE_NAME', /1 to 80/);
    expectDefinitionError(() => definition({ states: [pass('x'.repeat(81))] }), 'INVALID_STATE_NAME', /1 to 80/);
    expectDefinitionError(() => branch({ states: [] }), 'EMPTY', /a branch has no states/);
  });

  it('refuses a bad state machine timeout', () => {
    expect(() => definition({ timeoutSeconds: 0, states: [pass('A')] })).toThrow(InvalidStateOptionsError);
  });

  it('validateDefinition checks hand-written definitions too', () => {
    const handWritten: StateMachineDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: {} }], End: true } },
    };
    expectDefinitionError(() => validateDefinition(handWritten), 'EMPTY', /branch 1 of "B" has no states/);
    expect(() => validateDefinition({ StartAt: 'A', States: { A: { Type: 'Succeed' } } })).not.toThrow();
  });
});

describe('state helpers', () => {
  it.each([
    ['wait with two durations', () => wait('W', { seconds: 1, timestamp: '2030-01-01T00:00:00Z' }), /exactly one/],
    ['wait with no duration', () => wait('W', {}), /exactly one/],
    ['wait with negative seconds', () => wait('W', { seconds: -1 }), /0 or more/],
    ['choice without rules', () => choice('C', { choices: [] }), /at least one rule/],
    ['parallel without branches', () => parallel('P', { branches: [] }), /at least one branch/],
    ['pass with next and end', () => pass('P', { next: 'X', end: true }), /not both/],
  ])('refuses %s', (_label, build, message) => {
    expect(build).toThrow(InvalidStateOptionsError);
    expect(build).toThrow(message);
  });

  it('wait takes each kind of duration', () => {
    expect(wait('W', { secondsPath: '$.s' }).state).toEqual({ Type: 'Wait', SecondsPath: '$.s', End: true });
    expect(wait('W', { timestamp: '2030-01-01T00:00:00Z', comment: 'c' }).state).toEqual({
      Type: 'Wait',
      Comment: 'c',
      Timestamp: '2030-01-01T00:00:00Z',
      End: true,
    });
  });

  it('pass keeps a fixed result, including null', () => {
    expect(pass('P', { result: { a: 1 } }).state).toEqual({ Type: 'Pass', Result: { a: 1 }, End: true });
    expect(pass('P', { result: null, resultPath: null }).state).toEqual({ Type: 'Pass', Result: null, ResultPath: null, End: true });
  });

  it('parallel catchResultPath applies to catchAll', () => {
    const { state } = parallel('P', { branches: [[pass('A')]], catchAll: 'X', catchResultPath: null });
    expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'X', ResultPath: null }]);
  });
});
