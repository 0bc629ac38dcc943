/**
 * How a tracked call is stored (the task token in its compact form) and the small helpers every writer of
 * the tracking table shares (tracking-table.ts, callback-records.ts).
 */
import { fromStoredTaskToken, toStoredTaskToken } from './stored-task-token';
import type { TrackedCall } from './tracked-call';

/** The item as stored: the task token in its compact form. */
export type StoredCall = Omit<TrackedCall, 'taskToken'> & { taskToken?: string | Uint8Array };

export const toStored = (call: TrackedCall): StoredCall =>
  call.taskToken === undefined ? { ...call } : { ...call, taskToken: toStoredTaskToken(call.taskToken) };

export const fromStored = (item: Record<string, unknown> | undefined): TrackedCall | undefined => {
  if (!item) return undefined;
  const stored = item as StoredCall;
  return stored.taskToken === undefined ? (stored as TrackedCall) : { ...stored, taskToken: fromStoredTaskToken(stored.taskToken) };
};

export const isConditionalFailure = (error: unknown): boolean => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Runs a conditional write: true when written, false when its condition failed (nothing written); other errors are thrown. */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

export const epochSeconds = (now: Date): number => Math.floor(now.getTime() / 1000);
