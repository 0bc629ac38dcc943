/**
 * Entry point of the tasker Lambda function (work in progress: see the handler issue).
 */
export const handler = async (event: unknown): Promise<unknown> => {
  throw new Error(`handler not implemented yet: ${JSON.stringify(event).slice(0, 100)}`);
};
