/**
 * What callers build on a tasker: task states that invoke its function, state machines allowed to invoke
 * it, and SQL run at `terraform apply`. Separate from `SfnRedshiftTasker`, which creates the resources.
 */
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import * as sfn from './sfn';
import { SqlResource, type SqlResourceOptions } from './sql-resource';
import type { ResolvedTaskerConfig } from './tasker-config';

export abstract class SfnRedshiftTaskerBase extends Construct {
  /** The function Step Functions invokes (`Parameters.FunctionName` of the task state). */
  public abstract readonly lambdaFunction: LambdaFunction;
  /** The role's permission policy, which SQL resources depend on. */
  public abstract readonly rolePolicy: IamRolePolicy;
  /** The settings in effect, defaults applied. */
  public abstract readonly config: ResolvedTaskerConfig;

  /**
   * A `waitForTaskToken` task state that runs SQL on this tasker's target and completes when the
   * statement ends (see `sfn.sqlTask`). `catchFailed` also catches `ABORTED` when this tasker sends it.
   */
  public sqlTask(name: string, options: sfn.SqlTaskOptions): sfn.NamedState<sfn.TaskState> {
    const { abortedErrorName } = this.config;
    // A Terraform reference cannot decide the ASL at synth time; the caller then says it in `options`.
    const known = Token.isUnresolved(abortedErrorName) ? undefined : abortedErrorName;
    return sfn.sqlTask(this.lambdaFunction.arn, name, { abortedErrorName: known, ...options });
  }

  /** A task state that cancels a statement (by default the execution's LATEST) (see `sfn.cancelTask`). */
  public cancelTask(name: string, options?: sfn.StatementTaskOptions): sfn.NamedState<sfn.TaskState> {
    return sfn.cancelTask(this.lambdaFunction.arn, name, options);
  }

  /** A task state that describes a statement (by default the execution's LATEST) (see `sfn.describeTask`). */
  public describeTask(name: string, options?: sfn.StatementTaskOptions): sfn.NamedState<sfn.TaskState> {
    return sfn.describeTask(this.lambdaFunction.arn, name, options);
  }

  /** A task state that reads a statement's result set, one page per call (see `sfn.resultTask`). */
  public resultTask(name: string, options?: sfn.ResultTaskOptions): sfn.NamedState<sfn.TaskState> {
    return sfn.resultTask(this.lambdaFunction.arn, name, options);
  }

  /**
   * A Standard state machine whose role may invoke exactly this tasker's function
   * (see `sfn.TaskerStateMachine`).
   */
  public stateMachine(
    id: string,
    definition: sfn.StateMachineDefinition,
    props: Omit<sfn.TaskerStateMachineProps, 'taskerFunctionArn' | 'definition'> = {},
  ): sfn.TaskerStateMachine {
    return new sfn.TaskerStateMachine(this, id, { ...props, taskerFunctionArn: this.lambdaFunction.arn, definition });
  }

  /**
   * SQL run at `terraform apply` and `destroy` through this tasker (an `aws_lambda_invocation` with
   * lifecycle scope CRUD; see README "SQL as Terraform resources"). The SQL must finish within the
   * function timeout. Runs only once the function's permissions exist, and before they are removed.
   */
  public sqlResource(id: string, options: SqlResourceOptions): SqlResource {
    return new SqlResource(this, id, {
      ...options,
      functionName: this.lambdaFunction.functionName,
      dependsOn: [this.rolePolicy, ...(options.dependsOn ?? [])],
    });
  }
}
