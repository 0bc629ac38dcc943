/** Data API helpers: plain responses and retryable-error classification. */
import { isRetryableDataApiError, toPlainResponse } from '../../../functions/tasker/data-api';

describe('Data API helpers', () => {
  it('plain responses drop $metadata and turn dates into ISO strings', () => {
    expect(toPlainResponse({ $metadata: {}, Id: 'x', CreatedAt: new Date(0) })).toEqual({ Id: 'x', CreatedAt: '1970-01-01T00:00:00.000Z' });
  });
  it('classifies retryable errors by name or 5xx status', () => {
    const error = (name: string, status = 400) => Object.assign(new Error('m'), { name, $metadata: { httpStatusCode: status } });
    expect(isRetryableDataApiError(error('ThrottlingException'))).toBe(true);
    expect(isRetryableDataApiError(error('Whatever', 503))).toBe(true);
    expect(isRetryableDataApiError(error('ValidationException'))).toBe(false);
  });
});
