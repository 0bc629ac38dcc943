/**
 * `TaskerStateMachine`: an `aws_sfn_state_machine` (STANDARD: the callback pattern works only on
 * Standard workflows) with its own IAM role that may invoke the tasker function and nothing else.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine, type SfnStateMachineLoggingConfiguration } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { StateMachineDefinition } from './asl';
import { validateDefinition } from './definition';
import { InvalidStateMachinePropsError } from './errors';

/** Execution logging to CloudWatch Logs. */
export interface StateMachineLoggingOptions {
  /**
   * Which events are logged.
   * @default 'ERROR'
   */
  readonly level?: 'ALL' | 'ERROR' | 'FATAL';
  /**
   * Log state inputs and outputs too (they may hold query results).
   * @default false
   */
  readonly includeExecutionData?: boolean;
  /**
   * Retention of the log group, in days (a value CloudWatch Logs accepts).
   * @default 30
   */
  readonly retentionDays?: number;
}

export interface TaskerStateMachineProps {
  /** ARN of the tasker function the states invoke (a literal or a token such as `tasker.lambdaFunction.arn`). */
  readonly taskerFunctionArn: string;
  /** The definition, from `definition()` or written by hand; checked with `validateDefinition`. */
  readonly definition: StateMachineDefinition;
  /**
   * Name of the state machine (1 to 80 letters, digits, hyphens, underscores).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Name of the state machine's IAM role (at most 64 characters).
   * @default - `<name>-role`
   */
  readonly roleName?: string;
  /**
   * Account id the trust policy's `aws:SourceAccount` condition requires (guards against the
   * confused-deputy problem).
   * @default - the account in `taskerFunctionArn` (read at synth time from a literal ARN, by a Terraform
   * expression from a token); no condition when the ARN is a literal without an account
   */
  readonly sourceAccount?: string;
  /**
   * Log executions to a CloudWatch log group created for this state machine (the role then also gets
   * the log-delivery permissions Step Functions needs).
   * @default - no logging
   */
  readonly logging?: StateMachineLoggingOptions;
  /**
   * Tags of the state machine, role and log group.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
/** The account field of `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
const FUNCTION_ARN_PATTERN = /^arn:[^:]+:lambda:[^:]*:(\d{12}):function:[^:]+(:[^:]+)?$/;

/** Actions Step Functions needs to deliver execution logs (they do not support resource-level permissions). */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
];

export class TaskerStateMachine extends Construct {
  /** The `aws_sfn_state_machine` resource. */
  readonly stateMachine: SfnStateMachine;
  /** The role the state machine runs with; attach more policies to it for states that call other services. */
  readonly role: IamRole;
  /** The log group, when `logging` is set. */
  readonly logGroup?: CloudwatchLogGroup;
  /** The definition as given (before Terraform escaping). */
  readonly definition: StateMachineDefinition;

  constructor(scope: Construct, id: string, props: TaskerStateMachineProps) {
    // Checked before `super`, so bad props leave no construct behind in the tree.
    const name = props.name ?? id;
    const roleName = props.roleName ?? `${name}-role`;
    checkProps(props, name, roleName);
    validateDefinition(props.definition);
    super(scope, id);
    this.definition = props.definition;
    const tags = props.tags;

    this.role = new IamRole(this, 'role', {
      name: roleName,
      assumeRolePolicy: JSON.stringify(trustPolicy(sourceAccountOf(props))),
      tags,
    });

    const arn = props.taskerFunctionArn;
    new IamRolePolicy(this, 'invoke-tasker', {
      name: 'invoke-tasker',
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          // `:*` covers versions and aliases of the function, which a definition may name.
          { Sid: 'InvokeTasker', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [arn, `${arn}:*`] },
        ],
      }),
    });

    let loggingConfiguration: SfnStateMachineLoggingConfiguration | undefined;
    if (props.logging !== undefined) {
      this.logGroup = new CloudwatchLogGroup(this, 'logs', {
        name: `/aws/vendedlogs/states/${name}`,
        retentionInDays: props.logging.retentionDays ?? 30,
        tags,
      });
      new IamRolePolicy(this, 'deliver-logs', {
        name: 'deliver-logs',
        role: this.role.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'DeliverLogs', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: '*' }],
        }),
      });
      loggingConfiguration = {
        level: props.logging.level ?? 'ERROR',
        includeExecutionData: props.logging.includeExecutionData ?? false,
        logDestination: `${this.logGroup.arn}:*`,
      };
    }

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: serializeDefinition(props.definition),
      loggingConfiguration,
      tags,
    });
  }

  /** ARN of the state machine. */
  get arn(): string {
    return this.stateMachine.arn;
  }
}

/**
 * The definition as the JSON string `aws_sfn_state_machine.definition` takes.
 *
 * `JSON.stringify` keeps cdktf tokens (the function ARN) as `${...}` interpolations, which Terraform
 * resolves. Literal text is escaped so Terraform does not read `${` or `%{` in SQL or comments as
 * its own template syntax. (`Fn.jsonencode` is not used: it does not escape quotes inside strings.)
 */
export function serializeDefinition(machine: StateMachineDefinition): string {
  return JSON.stringify(escapeTemplates(machine));
}

/** Escapes Terraform template sequences in every string of a JSON value, leaving cdktf token markers intact. */
function escapeTemplates(value: unknown): unknown {
  // Replacement functions, not strings: in a replacement string `$$` itself means one `$`.
  if (typeof value === 'string') return value.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [escapeTemplates(key) as string, escapeTemplates(item)]));
  }
  return value;
}

function trustPolicy(sourceAccount: string | undefined): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        ...(sourceAccount !== undefined && { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } }),
      },
    ],
  };
}

/** The account for `aws:SourceAccount`, without `data "aws_caller_identity"` (which needs AWS at plan time). */
function sourceAccountOf(props: TaskerStateMachineProps): string | undefined {
  if (props.sourceAccount !== undefined) return props.sourceAccount;
  const arn = props.taskerFunctionArn;
  if (Token.isUnresolved(arn)) return Fn.element(Fn.split(':', arn), 4);
  return FUNCTION_ARN_PATTERN.exec(arn)?.[1];
}

function checkProps(props: TaskerStateMachineProps, name: string, roleName: string): void {
  if (typeof props.taskerFunctionArn !== 'string' || props.taskerFunctionArn.trim() === '') {
    throw new InvalidStateMachinePropsError('`taskerFunctionArn` must be a non-empty string.');
  }
  if (!Token.isUnresolved(name) && !NAME_PATTERN.test(name)) {
    throw new InvalidStateMachinePropsError(`State machine name "${name}" must be 1 to 80 letters, digits, hyphens or underscores.`);
  }
  if (!Token.isUnresolved(roleName) && !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new InvalidStateMachinePropsError(
      `Role name "${roleName}" must be 1 to 64 characters of letters, digits and +=,.@_- (give \`roleName\`).`,
    );
  }
  if (props.sourceAccount !== undefined && !Token.isUnresolved(props.sourceAccount) && !/^\d{12}$/.test(props.sourceAccount)) {
    throw new InvalidStateMachinePropsError(`\`sourceAccount\` "${props.sourceAccount}" must be a 12-digit account id.`);
  }
}
