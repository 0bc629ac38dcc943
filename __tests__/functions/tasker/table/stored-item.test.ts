/** The helpers every writer of the tracking table shares (the writes themselves run on dynalite in the other table tests). */
import { conditionalWrite } from '../../../../functions/tasker/table/stored-item';

const named = (name: string) => Object.assign(new Error(name), { name });

describe('conditionalWrite', () => {
  it('is true when the write went through, false when its condition failed, and throws anything else', async () => {
    await expect(conditionalWrite(async () => ({}))).resolves.toBe(true);
    await expect(conditionalWrite(() => Promise.reject(named('ConditionalCheckFailedException')))).resolves.toBe(false);
    await expect(conditionalWrite(() => Promise.reject(named('ProvisionedThroughputExceededException')))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
  });
});
