/**
 * Delivering a completion: Step Functions task callbacks and CloudFormation responses.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fitToCloudFormationLimit, type CloudFormationResponse } from './cloudformation-response';

/** What a task's callback says: success with a JSON output, or failure with an error name and cause. */
export type CallbackMessage = { kind: 'success'; output: string } | { kind: 'failure'; error: string; cause: string };

/** Step Functions errors meaning the task can no longer be completed; recorded and acknowledged, not retried. */
export const CLOSED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export async function sendStepFunctionsCallback(sfn: SFNClient, taskToken: string, message: CallbackMessage): Promise<void> {
  if (message.kind === 'success') {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: message.output }));
  } else {
    await sfn.send(new SendTaskFailureCommand({ taskToken, error: message.error, cause: message.cause }));
  }
}

/**
 * PUTs the response to the presigned URL (no content type: the signature does not cover one), cut to
 * CloudFormation's 4,096-byte limit first (cloudformation-response.ts).
 */
export function putCloudFormationResponse(responseUrl: string, response: CloudFormationResponse): Promise<void> {
  const body = JSON.stringify(fitToCloudFormationLimit(response));
  const url = new URL(responseUrl);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`CloudFormation response URL answered HTTP ${status}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('CloudFormation response URL timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
