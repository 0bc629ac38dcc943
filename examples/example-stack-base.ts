/**
 * The setup every example stack shares: a relative local backend, an `aws_region` variable and the AWS
 * provider tagging everything with the example project.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, type TerraformStack, TerraformVariable } from 'cdktf';

export interface ExampleProviderOptions {
  /** Region used when the `aws_region` variable is not set. @default 'eu-west-1' */
  readonly defaultRegion?: string;
  /** Description of the `aws_region` variable. @default 'AWS region to deploy the tasker to' */
  readonly regionDescription?: string;
}

/** Adds the backend, the `aws_region` variable and the provider to an example stack named `id`. */
export function addExampleBackendAndProvider(stack: TerraformStack, id: string, options: ExampleProviderOptions = {}): void {
  // A relative state path: cdktf's default records an absolute one, which differs on every machine.
  new LocalBackend(stack, { path: `terraform.${id}.tfstate` });
  const region = new TerraformVariable(stack, 'aws_region', {
    type: 'string',
    default: options.defaultRegion ?? 'eu-west-1',
    description: options.regionDescription ?? 'AWS region to deploy the tasker to',
  });
  new AwsProvider(stack, 'aws', { region: region.stringValue, defaultTags: [{ tags: { project: 'sfn-redshift-tasker-example' } }] });
}
