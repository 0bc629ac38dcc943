import type { PlannedChange } from './terraform-root';

/**
 * The differences a plan shows right after an apply on moto_server that are moto's, not ours: each one is
 * an attribute moto does not return (or returns reformatted), so Terraform sees config ≠ state. AWS returns
 * them as sent, so against a real account the same plan is empty (docs/conformance.md, "Emulator gaps").
 * The suite asserts exactly this list: a new difference, or one of these going away, fails it.
 */
export interface EmulatorGap {
  /** `<resource type>.<attribute>` as the plan shows it. */
  readonly change: string;
  readonly why: string;
}

export const TASKER_EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    change: 'aws_lambda_function.kms_key_arn',
    why: 'moto stores KMSKeyArn but does not return it from GetFunction, so the state holds ""',
  },
  {
    change: 'aws_lambda_function.logging_config',
    why: 'moto returns no LoggingConfig (AWS always returns LogFormat and LogGroup), so the block reads as absent',
  },
  {
    change: 'aws_sqs_queue.redrive_policy',
    why:
      'moto returns RedrivePolicy re-serialised with spaces ({"deadLetterTargetArn": ..., "maxReceiveCount": 15}); AWS returns the ' +
      'compact JSON Terraform sent',
  },
];

/**
 * moto's SetQueueAttributes clears a queue's Policy whenever the call does not carry one, so any update of
 * an `aws_sqs_queue` (the redrive-policy gap above makes every apply update the queue) drops the policy an
 * `aws_sqs_queue_policy` put there, and the next plan creates it again. AWS changes only the attributes sent.
 */
export const QUEUE_POLICY_DROPPED_GAP: EmulatorGap = {
  change: 'aws_sqs_queue_policy.policy',
  why:
    "moto's SetQueueAttributes clears the queue's Policy when the call does not carry one, so after any queue update the next plan " +
    'creates aws_sqs_queue_policy again',
};

/** The gaps as `type.attribute` strings, sorted, as `changedAttributes` gives them. */
export function gapChanges(gaps: readonly EmulatorGap[]): string[] {
  return gaps.map((gap) => gap.change).sort();
}

/**
 * moto 5.2 does not implement ValidateStateMachineDefinition, which the provider calls when it plans and
 * creates an `aws_sfn_state_machine` (moto answers HTTP 500 and the provider retries for minutes). On the
 * emulator the example stacks are applied and re-planned without their state machines (`-target` on
 * everything else).
 */
export const STATE_MACHINE_GAP: EmulatorGap = {
  change: 'aws_sfn_state_machine (create)',
  why: 'moto does not implement ValidateStateMachineDefinition, which the provider calls before creating a state machine',
};

/**
 * moto's UpdateTable ignores SSESpecification and its log groups keep their first key, so an apply that
 * switches the table and log group to another key never finishes (the provider waits for the new key).
 * On the emulator the `encryption_key_arn` rows are planned, not applied (docs/conformance.md).
 */
export const KEY_SWITCH_GAP: EmulatorGap = {
  change: 'aws_dynamodb_table.server_side_encryption (apply)',
  why:
    "moto's UpdateTable ignores SSESpecification (and the log group keeps its key), so the provider waits for a key switch that " +
    'never comes',
};

/** moto's Data API: see handler-flow.ts. */
export const DATA_API_GAP: EmulatorGap = {
  change: 'redshift-data ExecuteStatement (response)',
  why: "moto answers CreatedAt as an ISO string where the API has epoch seconds, so the AWS SDK fails to read ExecuteStatement's answer",
};

/**
 * The plan without what `gaps` explain: their attributes are dropped, then updates left with nothing, and
 * (with QUEUE_POLICY_DROPPED_GAP) the re-creation of a queue policy moto dropped.
 */
export function significantChanges(changes: readonly PlannedChange[], gaps: readonly EmulatorGap[]): PlannedChange[] {
  const explained = new Set(gaps.map((gap) => gap.change));
  const policyDropped = gaps.includes(QUEUE_POLICY_DROPPED_GAP);
  return changes
    .filter((c) => !(policyDropped && c.type === 'aws_sqs_queue_policy' && c.actions.join() === 'create'))
    .map((c) => ({ ...c, attributes: c.attributes.filter((attribute) => !explained.has(`${c.type}.${attribute}`)) }))
    .filter((c) => c.attributes.length > 0 || c.actions.join() !== 'update');
}
