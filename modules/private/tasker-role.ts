/** The role both tasker functions run with, its permission policy, and the grant to a tasker reusing its callback path. */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformLocal } from 'cdktf';
import type { Construct } from 'constructs';
import type { ResolvedTaskerConfig } from '../tasker-config';
import type { ReusingTasker } from '../tasker-props';
import { inVpc } from './function-options';
import { callbackReaderPolicy, lambdaAssumeRolePolicy, taskerRolePolicy, type TaskerPolicyInput } from './iam-policies';
import type { TaskerNames } from './naming';
import { terraformJson } from './terraform-json';

export function createTaskerRole(
  scope: Construct,
  config: ResolvedTaskerConfig,
  names: TaskerNames,
  tags?: Record<string, string>,
): IamRole {
  return new IamRole(scope, 'Role', {
    name: names.role,
    description: `Runs the ${config.namePrefix} Step Functions Redshift tasker`,
    assumeRolePolicy: terraformJson(lambdaAssumeRolePolicy()),
    path: config.rolePath,
    permissionsBoundary: config.permissionsBoundary,
    tags,
  });
}

/** The role's permission policy (`RolePolicy`), from the config and the resources the tasker uses. */
export function createTaskerRolePolicy(
  scope: Construct,
  role: IamRole,
  config: ResolvedTaskerConfig,
  resources: Pick<TaskerPolicyInput, 'env' | 'tableArn' | 'keyArn' | 'queueArn' | 'logGroupNames'>,
): IamRolePolicy {
  return new IamRolePolicy(scope, 'RolePolicy', {
    name: `${config.namePrefix}-tasker`,
    role: role.id,
    // `terraformJson`: `stateMachineArns` may be a list reference, which only `jsonencode` can hold.
    policy: terraformJson(
      taskerRolePolicy({
        ...resources,
        target: config.target,
        stateMachineArns: config.stateMachineArns,
        statementOwner: config.separateCompleter ? { kind: 'role', roleUniqueId: role.uniqueId } : { kind: 'session' },
        heartbeats: config.sendHeartbeats,
        vpc: inVpc(config.vpcConfig),
        tracing: config.tracing,
        holdStatements: (statements) => new TerraformLocal(scope, 'RolePolicyStatements', statements).asList,
      }),
    ),
  });
}

/**
 * The policy (`CallbackTaskerPolicy`, made in the reusing tasker's `scope`) that lets the owner's role,
 * which completes the reusing tasker's statements, read them and answer its state machines.
 */
export function grantCallbackReader(
  scope: Construct,
  owner: { role: IamRole; config: ResolvedTaskerConfig },
  reuser: ReusingTasker,
): IamRolePolicy {
  return new IamRolePolicy(scope, 'CallbackTaskerPolicy', {
    name: `${reuser.namePrefix}-statements-completed-by-${owner.config.namePrefix}`,
    role: owner.role.id,
    policy: terraformJson(
      callbackReaderPolicy({
        env: reuser.env,
        starterRoleUniqueId: reuser.roleUniqueId,
        stateMachineArns: reuser.stateMachineArns,
        // The owner's sweep looks after the reusing tasker's statements too.
        heartbeats: owner.config.sendHeartbeats,
        cancelOrphans: owner.config.cancelOrphanedStatements,
      }),
    ),
  });
}
