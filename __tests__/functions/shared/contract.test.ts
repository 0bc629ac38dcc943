/** Helpers of the shared contract (the constants are checked where they are used). */
import { eventBridgeTime } from '../../../functions/shared/contract';

describe('eventBridgeTime', () => {
  it('writes the time to the second, as EventBridge does', () => {
    expect(eventBridgeTime(new Date('2020-10-01T21:14:26.789Z'))).toBe('2020-10-01T21:14:26Z');
    expect(eventBridgeTime(new Date('2020-10-01T21:14:26.000Z'))).toBe('2020-10-01T21:14:26Z');
  });
});
