/**
 * SendTaskHeartbeat for a task whose statement still runs, so a task's `HeartbeatSeconds` measures the
 * tasker's care for the statement (the sweep's schedule), not the statement's length.
 *
 * Only the closed-token answers mean the task is over; anything else (throttling, an outage, access
 * denied) is not taken as closed: the SDK retries throttling and 5xx itself, and the next sweep sends
 * the heartbeat again. Taking a throttle for a closed task would cancel a statement someone waits for.
 */
import { SendTaskHeartbeatCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CLOSED_TOKEN_ERRORS } from './callbacks';
import { errorMessage, errorName } from '../platform/errors';

export type HeartbeatResult =
  /** Step Functions accepted it: the task still waits. */
  | { kind: 'alive' }
  /** The task is over (timed out, execution stopped, unknown token): its statement is an orphan. */
  | { kind: 'closed'; error: string }
  /** The heartbeat failed for another reason; nothing is concluded, the next sweep tries again. */
  | { kind: 'failed'; error: string; message: string };

export async function sendHeartbeat(sfn: SFNClient, taskToken: string): Promise<HeartbeatResult> {
  try {
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
    return { kind: 'alive' };
  } catch (error) {
    const name = errorName(error);
    if (CLOSED_TOKEN_ERRORS.has(name)) return { kind: 'closed', error: name };
    return { kind: 'failed', error: name, message: errorMessage(error) };
  }
}
