/**
 * The AWS environment a tasker is deployed in, as Terraform knows it: public because a tasker reusing
 * another's callback path passes its own to that tasker (`ReusingTasker.env`).
 */

/** Partition, region and account of the stack, as (possibly unresolved) strings. */
export interface AwsEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}
