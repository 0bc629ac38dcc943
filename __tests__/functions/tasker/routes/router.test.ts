/** Routing an invocation by its event's shape to the path that handles it. */
import { routeOf } from '../../../../functions/tasker/routes/router';
import { handler, resetTaskerContext } from '../../../../functions/tasker/index';

describe('router', () => {
  it.each([
    [{ Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, 'sqs-status-events'],
    [{ source: 'aws.events', 'detail-type': 'Scheduled Event' }, 'sweep-schedule'],
    [{ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: {} }, 'execution-status-change'],
    [{ RequestType: 'Create', ResponseURL: 'https://x' }, 'cloudformation'],
    [{ tf: { action: 'create' }, sqlStatement: 'select 1' }, 'terraform-lifecycle'],
    [{ sqlStatement: 'select 1' }, 'direct-invocation'],
    [{ Records: [{ eventSource: 'aws:s3' }] }, 'direct-invocation'],
    ['text', 'direct-invocation'],
  ])('%j → %s', (event, route) => {
    expect(routeOf(event)).toBe(route);
  });

  it('a tf lifecycle event reaches the SQL resource path (terraform-lifecycle.test.ts covers it)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { TRACKING_TABLE_NAME: 'tbl', REDSHIFT_DATABASE: 'dev', REDSHIFT_WORKGROUP_NAME: 'wg' });
    try {
      await expect(handler({ tf: { action: 'create' } })).rejects.toMatchObject({ name: 'InvalidInput', message: 'create: is required' });
    } finally {
      resetTaskerContext();
      process.env = saved;
    }
  });
});
