import { taskerNames } from '../../../modules/private/naming';
import { NAME_PREFIX_MAX } from '../../../modules/name-prefix';

describe('taskerNames', () => {
  test('derives every name from the prefix', () => {
    const names = taskerNames('etl');
    expect({ ...names, logGroup: names.logGroup('etl-tasker') }).toEqual({
      function: 'etl-tasker',
      completerFunction: 'etl-completer',
      role: 'etl-tasker-role',
      table: 'etl-tracking',
      queue: 'etl-statement-events',
      deadLetterQueue: 'etl-statement-events-dlq',
      eventRule: 'etl-statement-status',
      sweepRule: 'etl-sweep',
      executionEndRule: 'etl-execution-ended',
      keyAlias: 'alias/etl',
      logGroup: '/aws/lambda/etl-tasker',
    });
  });

  test('the longest prefix keeps names within their limits (Lambda, IAM role, rule: 64; queue: 80)', () => {
    const names = taskerNames('p'.repeat(NAME_PREFIX_MAX));
    for (const name of [names.function, names.completerFunction, names.role, names.eventRule, names.sweepRule, names.executionEndRule]) {
      expect(name.length).toBeLessThanOrEqual(64);
    }
    expect(names.deadLetterQueue.length).toBeLessThanOrEqual(80);
  });
});
