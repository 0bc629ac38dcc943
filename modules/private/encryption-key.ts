/**
 * The KMS key a tasker encrypts everything with: the one given, or one the construct creates (with an alias).
 * Given as an `orNull` reference, Terraform decides: the key and alias exist (`count`) only while it is
 * null, and the ARN in use is `coalesce(given, created)`.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Fn, Lazy } from 'cdktf';
import type { Construct } from 'constructs';
import type { AwsEnvironment } from '../aws-environment';
import { mayBeNull } from '../plan-time';
import { countedAttribute, countWhenNull } from './plan-time-choice';
import { keyPolicy } from './resource-policies';
import { terraformJson } from './terraform-json';

export interface TaskerKeyInput {
  readonly namePrefix: string;
  readonly alias: string;
  readonly env: AwsEnvironment;
  /** The status rule's ARN (it delivers to the encrypted queue); undefined without a callback path. */
  readonly statusRuleArn?: string;
  /** Log groups the key admits; read at synth time, so taskers reusing this one's path can add theirs later. */
  readonly logGroupNames: readonly string[];
  readonly tags?: Record<string, string>;
}

/** The ARN of the key in use: `given`, or a key created in `scope` (ids `Key`, `KeyAlias`). */
export function keyInUse(scope: Construct, given: string | undefined, input: TaskerKeyInput): string {
  if (given !== undefined && !mayBeNull(given)) return given;
  const key = createKey(scope, input, countWhenNull(given));
  if (given === undefined) return key.arn;
  return Fn.coalesce([given, countedAttribute(key, 'arn')]);
}

function createKey(scope: Construct, input: TaskerKeyInput, count: number | undefined): KmsKey {
  const { env, statusRuleArn, tags } = input;
  const key = new KmsKey(scope, 'Key', {
    count,
    description: `Encrypts the ${input.namePrefix} Step Functions Redshift tasker's table, queues, logs and environment`,
    enableKeyRotation: true,
    // Lazy: a tasker reusing this one's callback path adds its log groups after this point.
    policy: Lazy.stringValue({
      produce: () => terraformJson(keyPolicy({ env, logGroupNames: [...input.logGroupNames], statusRuleArn })),
    }),
    tags,
  });
  const keyId = count === undefined ? key.keyId : countedAttribute(key, 'key_id');
  new KmsAlias(scope, 'KeyAlias', { count, name: input.alias, targetKeyId: keyId });
  return key;
}
