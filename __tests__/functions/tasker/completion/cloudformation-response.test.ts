import {
  completionResponse,
  fitToCloudFormationLimit,
  type CloudFormationResponse,
} from '../../../../functions/tasker/completion/cloudformation-response';
import { parseStatusEvent } from '../../../../functions/tasker/input/status-event';

const target = {
  responseUrl: 'http://127.0.0.1:9/r',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
  requestId: 'req-1',
  logicalResourceId: 'Users',
  physicalResourceId: 'Users:abc',
  requestType: 'Create',
};
const statusEvent = (state: string, rows: number) => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'Redshift Data Statement Status Change',
  source: 'aws.redshift-data',
  account: '123456789012',
  time: '2026-12-02T07:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:redshift:us-east-1:123456789012:cluster:c'],
  detail: {
    principal: 'p',
    statementName: 'sfnrs-x',
    statementId: 'd9b6c0c9-0747-4bf4-b142-e8883122f766',
    redshiftQueryId: 7,
    state,
    rows,
    expireAt: 1,
  },
});
const change = (state: string, rows = -1) => parseStatusEvent(JSON.stringify(statusEvent(state, rows)));
const bytes = (response: CloudFormationResponse): number => Buffer.byteLength(JSON.stringify(response));

describe('completionResponse', () => {
  it('ABORTED: FAILED with a Reason, the event as Data without detail.error', () => {
    const response = completionResponse(target, change('ABORTED'));
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'statement ABORTED: it was cancelled before it finished', NoEcho: false });
    expect(response.Data).toEqual({ ...statusEvent('ABORTED', -1), StatementId: 'd9b6c0c9-0747-4bf4-b142-e8883122f766', Rows: -1 });
  });
});

describe('fitToCloudFormationLimit', () => {
  it('leaves a response within the limit as it is', () => {
    const response = completionResponse(target, change('FAILED'), 'ERROR: short');
    expect(fitToCloudFormationLimit(response)).toEqual(response);
  });

  it('uses the room it has: a long error is cut to within a few bytes of 4,096, JSON escaping included', () => {
    const error = `ERROR: ${'"\\'.repeat(3_000)}`; // each character escaped to two
    const fitted = fitToCloudFormationLimit(completionResponse(target, change('FAILED'), error));
    expect(bytes(fitted)).toBeLessThanOrEqual(4_096);
    expect(bytes(fitted)).toBeGreaterThan(4_040);
    expect(fitted.Reason).toMatch(/truncated to fit CloudFormation's 4096-byte response limit\)$/);
  });

  it('a long Reason alone is cut to 2,000 bytes; nothing else changes', () => {
    const response = { ...completionResponse(target, change('FINISHED', 3)), Reason: 'r'.repeat(3_000) };
    const fitted = fitToCloudFormationLimit(response);
    expect(Buffer.byteLength(fitted.Reason!)).toBeLessThanOrEqual(2_000);
    expect(fitted.Data).toEqual(response.Data);
  });

  it('an event too large for any Reason keeps only our Data keys', () => {
    const response = completionResponse(target, change('FINISHED', 3));
    const huge = { ...response, Data: { ...response.Data, resources: ['x'.repeat(5_000)] } };
    const fitted = fitToCloudFormationLimit(huge);
    expect(bytes(fitted)).toBeLessThanOrEqual(4_096);
    expect(fitted.Data).toEqual({ StatementId: 'd9b6c0c9-0747-4bf4-b142-e8883122f766', Rows: 3 });
  });
});
