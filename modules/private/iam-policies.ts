/**
 * The tasker role's trust and permission policies: least privilege, no `*` action.
 *
 * One role serves the starter and (with `separateCompleter`) the completer function: the Data API
 * treats the role that started a statement as its owner, and only that role may describe, cancel or
 * read it; the completer needs DescribeStatement for a failed statement's error text and for the sweep.
 */
import { Fn, Token } from 'cdktf';
import { TABLE } from '../../functions/shared/contract';
import { unescapeTemplates } from './terraform-json';
import {
  arnOf,
  AWS_USERID_VARIABLE,
  type PolicyCondition,
  policyDocument,
  type PolicyDocument,
  type PolicyStatement,
} from './policy-document';
import type { AwsEnvironment } from '../aws-environment';
import { mayBeNull } from '../plan-time';
import { whenSet } from './plan-time-choice';
import type { ResolvedTarget } from '../tasker-config';

/** Trust policy: only the Lambda service assumes the role. */
export function lambdaAssumeRolePolicy(): PolicyDocument {
  return policyDocument([
    {
      Sid: 'LambdaAssumesRole',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['sts:AssumeRole'],
    },
  ]);
}

/**
 * ARN IAM authorises the Data API on: the cluster, or the workgroup (its ARN holds an id, not the name;
 * without it, every workgroup of the account and region). A plan-time target lets Terraform pick.
 */
export function dataApiTargetArn(env: AwsEnvironment, target: ResolvedTarget): string {
  const clusterArn = (clusterIdentifier: string): string => arnOf(env, 'redshift', `cluster:${clusterIdentifier}`);
  const workgroupArn = (workgroupArnGiven: string | undefined): string =>
    whenSet(workgroupArnGiven, workgroupArnGiven as string, arnOf(env, 'redshift-serverless', 'workgroup/*'));
  switch (target.kind) {
    case 'cluster':
      return clusterArn(target.clusterIdentifier);
    case 'workgroup':
      return workgroupArn(target.workgroupArn);
    case 'plan-time':
      return whenSet(target.clusterIdentifier, clusterArn(target.clusterIdentifier), workgroupArn(target.workgroupArn));
  }
}

/**
 * The statement that lets the Data API authenticate to the database on the function's behalf: read the
 * secret, get cluster credentials for the db user, or get workgroup credentials for the IAM identity.
 * When Terraform picks at plan time, every branch lists its resources, so the branches have one type.
 */
export function databaseCredentialsStatement(env: AwsEnvironment, target: ResolvedTarget): PolicyStatement {
  const planTime = target.kind === 'plan-time' || mayBeNull(target.secretArn);
  const resources = (...arns: string[]): string | string[] => (planTime || arns.length > 1 ? arns : arns[0]);
  const secret = (secretArn: string): PolicyStatement => ({
    Sid: 'ReadDatabaseSecret',
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue'],
    Resource: resources(secretArn),
  });
  const clusterUser = (clusterIdentifier: string, dbUser: string | undefined): PolicyStatement => ({
    Sid: 'GetClusterCredentialsForDbUser',
    Effect: 'Allow',
    Action: ['redshift:GetClusterCredentials'],
    Resource: resources(
      arnOf(env, 'redshift', `dbuser:${clusterIdentifier}/${dbUser as string}`),
      arnOf(env, 'redshift', `dbname:${clusterIdentifier}/${target.database}`),
    ),
  });
  const workgroupIdentity = (): PolicyStatement => ({
    Sid: 'GetWorkgroupCredentials',
    Effect: 'Allow',
    Action: ['redshift-serverless:GetCredentials'],
    Resource: resources(dataApiTargetArn(env, { ...target, kind: 'workgroup' } as ResolvedTarget)),
  });
  const withoutSecret =
    target.kind === 'cluster'
      ? clusterUser(target.clusterIdentifier, target.dbUser)
      : target.kind === 'workgroup'
        ? workgroupIdentity()
        : whenSet(target.clusterIdentifier, clusterUser(target.clusterIdentifier, target.dbUser), workgroupIdentity());
  return whenSet(target.secretArn, secret(target.secretArn as string), withoutSecret);
}

/**
 * Who may read a statement: the calling session itself (`${aws:userid}`, one function), or any session of
 * the shared role (`<role unique id>:*`) when a separate completer reads what the starter started.
 */
export type StatementOwnerScope = { kind: 'session' } | { kind: 'role'; roleUniqueId: string };

function statementOwnerCondition(scope: StatementOwnerScope): PolicyCondition {
  return scope.kind === 'session'
    ? { StringEquals: { 'redshift-data:statement-owner-iam-userid': AWS_USERID_VARIABLE } }
    : { StringLike: { 'redshift-data:statement-owner-iam-userid': `${scope.roleUniqueId}:*` } };
}

export interface TaskerPolicyInput {
  readonly env: AwsEnvironment;
  readonly target: ResolvedTarget;
  readonly tableArn: string;
  readonly keyArn: string;
  /** The completion-event queue, when this tasker has its own callback path. */
  readonly queueArn?: string;
  /** State machines the functions may answer; default: all in the account and region. */
  readonly stateMachineArns?: readonly string[];
  /** Names of the functions' log groups. */
  readonly logGroupNames: readonly string[];
  readonly statementOwner: StatementOwnerScope;
  /** The sweep sends SendTaskHeartbeat (a Terraform reference decides at plan time). @default false */
  readonly heartbeats?: boolean;
  /** The functions run in a VPC: Lambda manages their network interfaces with the role (may be a reference). @default false */
  readonly vpc?: boolean;
  /** X-Ray active tracing (may be a reference). @default false */
  readonly tracing?: boolean;
  /**
   * Holds the always-present statements in a Terraform value (a local) when a flag is a reference, so the
   * plan-time `concat(...)` takes a reference instead of string templates (which cdktf cannot render
   * inside a built-in function's arguments). @default - inline, with the policy variables unescaped
   */
  readonly holdStatements?: (statements: PolicyStatement[]) => unknown;
}

/** The actions Step Functions task tokens are answered (and, with heartbeats, kept alive) with. */
function taskTokenActions(heartbeats: boolean | undefined): string[] {
  const answers = ['states:SendTaskSuccess', 'states:SendTaskFailure'];
  if (Token.isUnresolved(heartbeats))
    return Token.asList(Fn.concat([answers, Fn.conditional(heartbeats, ['states:SendTaskHeartbeat'], [])]));
  return heartbeats ? [...answers, 'states:SendTaskHeartbeat'] : answers;
}

/**
 * `statements` plus each optional statement whose flag holds. A flag that is a Terraform reference is
 * decided at plan time: the list becomes Terraform's `concat(...)` of the statements it turns on.
 */
function withOptionalStatements(
  statements: PolicyStatement[],
  optional: [boolean | undefined, PolicyStatement][],
  holdStatements: (statements: PolicyStatement[]) => unknown = unescapeTemplates,
): PolicyStatement[] {
  const atPlanTime = optional.filter(([flag]) => Token.isUnresolved(flag));
  const now = [...statements, ...optional.filter(([flag]) => !Token.isUnresolved(flag) && flag).map(([, statement]) => statement)];
  if (atPlanTime.length === 0) return now;
  // The optional statements hold no reference or template, so they can sit inside the function call.
  const parts = [holdStatements(now), ...atPlanTime.map(([flag, statement]) => Fn.conditional(flag, [statement], []))];
  return Token.asAny(Fn.concat(parts)) as unknown as PolicyStatement[];
}

/**
 * Lambda's network-interface actions for a function in a VPC (those of AWSLambdaVPCAccessExecutionRole).
 * They accept no narrower resource than "*" at creation (the interface does not exist yet).
 */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

/** X-Ray's write actions (those of AWSXRayDaemonWriteAccess that Lambda's active tracing uses); "*" is their only resource. */
export const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;

/** The role's permission policy. */
export function taskerRolePolicy(input: TaskerPolicyInput): PolicyDocument {
  const { env } = input;
  const statements: PolicyStatement[] = [
    {
      Sid: 'StartStatementsOnTarget',
      Effect: 'Allow',
      Action: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
      Resource: dataApiTargetArn(env, input.target),
    },
    // These actions have no resource type: "*" is the only Resource they accept; the condition keeps
    // them to statements this role started. (No ListStatements: the handler tracks its statements in
    // DynamoDB and never lists them.)
    {
      Sid: 'ReadOwnStatements',
      Effect: 'Allow',
      Action: ['redshift-data:DescribeStatement', 'redshift-data:CancelStatement', 'redshift-data:GetStatementResult'],
      Resource: '*',
      Condition: statementOwnerCondition(input.statementOwner),
    },
    databaseCredentialsStatement(env, input.target),
    // Scan: only the sweep's one-off pass after an upgrade (functions/tasker/completion/legacy-callbacks.ts); every
    // other read goes by key or index.
    {
      Sid: 'TrackCalls',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan'],
      Resource: input.tableArn,
    },
    {
      Sid: 'QueryTrackingIndexes',
      Effect: 'Allow',
      Action: ['dynamodb:Query'],
      Resource: [TABLE.EXECUTION_INDEX, TABLE.RUNNING_INDEX, TABLE.PENDING_CALLBACK_INDEX].map(
        (index) => `${input.tableArn}/index/${index.name}`,
      ),
    },
    {
      Sid: 'UseEncryptionKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: input.keyArn,
    },
    {
      Sid: 'AnswerTaskTokens',
      Effect: 'Allow',
      Action: taskTokenActions(input.heartbeats),
      Resource: input.stateMachineArns ? [...input.stateMachineArns] : arnOf(env, 'states', 'stateMachine:*'),
    },
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: input.logGroupNames.map((name) => arnOf(env, 'logs', `log-group:${name}:*`)),
    },
  ];
  if (input.queueArn !== undefined) {
    statements.push({
      Sid: 'ConsumeStatementEvents',
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: input.queueArn,
    });
  }
  return policyDocument(
    withOptionalStatements(
      statements,
      [
        [input.vpc, { Sid: 'ManageVpcNetworkInterfaces', Effect: 'Allow', Action: [...VPC_NETWORK_INTERFACE_ACTIONS], Resource: '*' }],
        [input.tracing, { Sid: 'WriteTraces', Effect: 'Allow', Action: [...XRAY_WRITE_ACTIONS], Resource: '*' }],
      ],
      input.holdStatements,
    ),
  );
}

export interface CallbackReaderPolicyInput {
  readonly env: AwsEnvironment;
  /** Unique id (`AROA…`) of the role that starts the statements (the tasker reusing the callback path). */
  readonly starterRoleUniqueId: string;
  /** State machines the starter's calls come from (its `stateMachineArns`); default: all in the account and region. */
  readonly stateMachineArns?: readonly string[];
  /** The reader's sweep heartbeats the starter's tasks. @default false */
  readonly heartbeats?: boolean;
  /** The reader's sweep cancels the starter's orphaned statements. @default false */
  readonly cancelOrphans?: boolean;
}

/**
 * Extra policy for the role of a tasker whose callback path another tasker reuses (`callbackTasker`):
 * its completer reads the other tasker's statements (a FAILED statement's error text, the sweep) and
 * answers the other tasker's state machines. The Data API only lets the owner's role read a statement
 * unless a policy names the owner, hence the statement-owner condition on the starter's role.
 */
export function callbackReaderPolicy(input: CallbackReaderPolicyInput): PolicyDocument {
  return policyDocument([
    {
      Sid: 'ReadReusingTaskerStatements',
      Effect: 'Allow',
      Action: [
        'redshift-data:DescribeStatement',
        'redshift-data:GetStatementResult',
        ...(input.cancelOrphans ? ['redshift-data:CancelStatement'] : []),
      ],
      Resource: '*',
      Condition: statementOwnerCondition({ kind: 'role', roleUniqueId: input.starterRoleUniqueId }),
    },
    {
      Sid: 'AnswerReusingTaskerTaskTokens',
      Effect: 'Allow',
      Action: taskTokenActions(input.heartbeats),
      Resource: input.stateMachineArns ? [...input.stateMachineArns] : arnOf(input.env, 'states', 'stateMachine:*'),
    },
  ]);
}
