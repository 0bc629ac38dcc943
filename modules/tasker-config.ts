/**
 * The settings a tasker runs with, once its props are checked and their defaults applied
 * (`SfnRedshiftTasker.config`), and the error bad props raise. Types only: the rules that produce them
 * are `resolve-tasker-config.ts` and `private/`.
 */
import type { CheckedTarget } from '../functions/shared/redshift-target';
import type { TaskerCode } from './tasker-code';
import type { CallbackPathOwner, TaskerArchitecture, TaskerLogFormat, TaskerLogLevel, TaskerVpcConfig } from './tasker-props';

/** Thrown for props that cannot make a working tasker; `problems` lists each one. */
export class TaskerConfigurationError extends Error {
  public readonly problems: readonly string[];

  constructor(constructId: string, problems: readonly string[]) {
    super(`Invalid SfnRedshiftTasker props for '${constructId}':\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TaskerConfigurationError';
    this.problems = problems;
  }
}

/**
 * The Redshift target, normalised from `redshiftTarget` or the legacy `redshiftTargetProps`. `plan-time`:
 * Terraform picks the kind (`clusterIdentifier` and `workgroupName` are `orNull` references; see `PlanTimeTarget`).
 */
export type ResolvedTarget =
  | CheckedTarget
  | {
      kind: 'plan-time';
      clusterIdentifier: string;
      workgroupName: string;
      database: string;
      dbUser?: string;
      secretArn?: string;
      workgroupArn?: string;
    };

/** This tasker's own callback path: it creates the status rule, queues and sweep. */
export interface OwnCallbackPath {
  readonly kind: 'own';
  /** The KMS key given (`encryptionKeyArn`); undefined: the construct creates one. */
  readonly encryptionKeyArn?: string;
  /** An existing tracking table to use (the deprecated `existingTableName`); undefined: the construct creates one. */
  readonly existingTableName?: string;
}

/** The callback path, tracking table and key of another tasker in the same stack. */
export interface TaskerCallbackPath {
  readonly kind: 'tasker';
  readonly owner: CallbackPathOwner;
}

/** The callback path of a tasker in another stack, named by its table, statement name prefix and key. */
export interface ExternalTableCallbackPath {
  readonly kind: 'external';
  readonly tableName: string;
  readonly statementNamePrefix: string;
  readonly encryptionKeyArn: string;
}

/** Whose callback path (status rule, queues, sweep), tracking table and KMS key the tasker uses. */
export type ResolvedCallbackPath = OwnCallbackPath | TaskerCallbackPath | ExternalTableCallbackPath;

/** Alarm thresholds, defaults applied. */
export interface ResolvedAlarms {
  readonly enabled: boolean;
  readonly topicArn?: string;
  readonly functionErrorsThreshold: number;
  readonly oldestEventAgeSeconds: number;
  readonly sweepRepairsThreshold: number;
  readonly pendingCallbackAgeSeconds: number;
}

/** The operational settings (heartbeats and orphans, metrics, alarms) and platform knobs, defaults applied. */
export interface ResolvedOperations {
  readonly sendHeartbeats: boolean;
  readonly cancelOrphanedStatements: boolean;
  readonly cancelOnExecutionEnd: boolean;
  readonly metrics: boolean;
  readonly metricsNamespace: string;
  readonly alarms?: ResolvedAlarms;
  readonly vpcConfig?: TaskerVpcConfig;
  readonly permissionsBoundary?: string;
  readonly rolePath?: string;
  readonly tracing: boolean;
  readonly architecture: TaskerArchitecture;
  readonly logFormat: TaskerLogFormat;
}

/** Every setting the construct needs, with defaults applied. */
export interface ResolvedTaskerConfig extends ResolvedOperations {
  readonly target: ResolvedTarget;
  readonly namePrefix: string;
  readonly statementNamePrefix: string;
  /** Whose callback path, table and key; the one representation the construct reads. */
  readonly callbackPath: ResolvedCallbackPath;
  /** @deprecated Read `callbackPath.kind === 'own'` */
  readonly createCallbackInfra: boolean;
  readonly deployDeadLetterQueue: boolean;
  readonly maxReceiveCount: number;
  /** @deprecated Read `callbackPath` (the key given, or the reused tasker's) */
  readonly encryptionKeyArn?: string;
  /** @deprecated Read `callbackPath` (the table given, or the reused tasker's) */
  readonly existingTableName?: string;
  readonly logLevel: TaskerLogLevel;
  readonly logRetentionDays: number;
  readonly memorySize: number;
  readonly timeout: number;
  readonly reservedConcurrency?: number;
  readonly separateCompleter: boolean;
  readonly abortedErrorName: 'FAILED' | 'ABORTED';
  readonly sweepSchedule: string;
  readonly sweepGraceSeconds: number;
  readonly itemTtlSeconds: number;
  readonly callbackMaxAgeSeconds: number;
  readonly describeOnSuccess: boolean;
  readonly fastPathSeconds: number;
  readonly batchSize: number;
  readonly stateMachineArns?: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** The deployment package given (`code`); undefined: the handler zip shipped in this package. */
  readonly code?: TaskerCode;
}
