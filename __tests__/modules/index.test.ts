import * as entry from '../../modules';

describe('package entry', () => {
  test('exports the construct, its errors, the event pattern helpers and the contract', () => {
    expect(typeof entry.SfnRedshiftTasker).toBe('function');
    expect(typeof entry.TaskerConfigurationError).toBe('function');
    expect(typeof entry.HandlerBundleNotFoundError).toBe('function');
    expect(typeof entry.statementStatusEventPattern).toBe('function');
    expect(typeof entry.matchesStatementStatusEvent).toBe('function');
    expect(entry.ENV.TABLE_NAME).toBe('TRACKING_TABLE_NAME');
    expect(entry.TABLE.PARTITION_KEY).toBe('pk');
  });
});
