/**
 * One variant of the Terraform module: `SfnRedshiftTasker` with one fixed shape (see `variants.ts`),
 * every other setting passed to the construct as a reference to an input variable (the construct
 * renders references into Terraform expressions). The parent module (`TaskerModuleStack`) validates
 * the inputs and passes them all, so the variables here have no defaults and no checks.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { Fn, Lazy, Op, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULTS, TERRAFORM_LIFECYCLE } from '../../functions/shared/contract';
import { DEFINITION_TRIGGER } from '../sql-resource';
import { SfnRedshiftTasker } from '../sfn-redshift-tasker';
import type { RedshiftTarget, SfnRedshiftTaskerProps, TaskerLogLevel } from '../tasker-props';
import { makeChildModule } from './child-module';
import { MODULE_INPUTS } from './module-inputs';
import { MODULE_OUTPUTS } from './module-outputs';
import {
  SQL_INVOCATIONS_INPUT,
  SQL_INVOCATIONS_TYPE,
  SQL_RESOURCE_STAGES,
  SQL_RESOURCES_INPUT,
  SQL_RESULTS_DESCRIPTION,
  SQL_RESULTS_OUTPUT,
} from './sql-resources-input';
import { operationsPropsFrom } from './operations-inputs';
import { ModuleVariant, shapeInputsOf } from './variants';

/** The variant's input that carries the path of the handler zip (the parent module passes its copy). */
export const HANDLER_ZIP_INPUT = 'handler_zip';
/** Id of the construct inside each variant (its resources' logical ids start with it). */
export const TASKER_CONSTRUCT_ID = 'Tasker';

/** Thrown when the construct does not hold exactly one role policy (the SQL resources depend on it). */
export class TaskerRolePolicyNotFoundError extends Error {
  constructor(found: number) {
    super(`SfnRedshiftTasker holds ${found} IAM role policies; the module's SQL resources need exactly one to depend on`);
    this.name = 'TaskerRolePolicyNotFoundError';
  }
}

/**
 * Inputs every variant takes; the shape inputs come from `shapeInputsOf`. `sql_resources` arrives
 * normalised as `sql_resource_invocations` instead.
 */
const COMMON_INPUTS = MODULE_INPUTS.map((input) => input.name).filter(
  (name) =>
    !['cluster_identifier', 'workgroup_name', 'workgroup_arn', 'db_user', 'secret_arn', 'encryption_key_arn', SQL_RESOURCES_INPUT].includes(name),
);

/** Logical id of the SQL resources of one stage (`aws_lambda_invocation.sql_resource_stage_<n>`). */
export const sqlStageResourceId = (stage: number): string => `sql_resource_stage_${stage}`;

export class TaskerVariantStack extends TerraformStack {
  public readonly tasker: SfnRedshiftTasker;
  private readonly inputs = new Map<string, TerraformVariable>();
  private env?: { partition: DataAwsPartition; region: DataAwsRegion };

  constructor(scope: Construct, id: string, public readonly variant: ModuleVariant) {
    super(scope, id);
    // Kept for cdktf's validation and `required_providers`; `makeChildModule` removes the block.
    new AwsProvider(this, 'aws', {});
    makeChildModule(this);

    for (const name of [...shapeInputsOf(variant), ...COMMON_INPUTS]) this.declareInput(name);
    const handlerZip = new TerraformVariable(this, `input_${HANDLER_ZIP_INPUT}`, {
      type: 'string',
      description: 'Path of the handler zip; the parent module passes its own copy (${path.module}/...).',
    });
    handlerZip.overrideLogicalId(HANDLER_ZIP_INPUT);
    const invocations = new TerraformVariable(this, `input_${SQL_INVOCATIONS_INPUT}`, {
      type: SQL_INVOCATIONS_TYPE,
      description: 'The sql_resources entries, normalised by the parent module: JSON input, stage, whether a change replaces the entry.',
    });
    invocations.overrideLogicalId(SQL_INVOCATIONS_INPUT);

    const statementNamePrefix = new TerraformLocal(
      this,
      'local_statement_name_prefix',
      `\${coalesce(var.statement_name_prefix, "${DEFAULTS.STATEMENT_NAME_PREFIX}\${var.name_prefix}-")}`,
    );
    statementNamePrefix.overrideLogicalId('statement_name_prefix');

    const props: SfnRedshiftTaskerProps = {
      redshiftTarget: this.target(),
      encryptionKey: variant.key === 'own-key' ? this.str('encryption_key_arn') : undefined,
      namePrefix: this.str('name_prefix'),
      statementNamePrefix: statementNamePrefix.asString,
      // The shape is fixed per variant: these decide which resources exist, so they cannot be inputs.
      createCallbackInfra: true,
      deployDeadLetterQueue: true,
      separateCompleter: false,
      maxReceiveCount: this.num('max_receive_count'),
      logLevel: this.str('log_level') as TaskerLogLevel,
      abortedErrorName: this.str('aborted_error_name') as 'FAILED' | 'ABORTED',
      sweepGraceSeconds: this.num('sweep_grace_seconds'),
      itemTtlSeconds: this.num('item_ttl_seconds'),
      lambdaTimeout: this.num('lambda_timeout'),
      batchSize: this.num('batch_size'),
      sweepSchedule: this.str('sweep_schedule'),
      logRetentionDays: this.num('log_retention_days'),
      lambdaMemorySize: this.num('lambda_memory_size'),
      reservedConcurrency: this.num('reserved_concurrency'),
      tags: Token.asStringMap(this.input('tags').value),
      stateMachineArns: this.stateMachineArnsOrAll(),
      ...operationsPropsFrom((name) => this.input(name)),
    };
    this.tasker = new SfnRedshiftTasker(this, TASKER_CONSTRUCT_ID, props);
    this.useHandlerZipInput(handlerZip);
    this.sqlResourceStages();

    for (const output of MODULE_OUTPUTS) {
      new TerraformOutput(this, `output_${output.name}`, { value: output.valueOf(this.tasker), description: output.description }).overrideLogicalId(
        output.name,
      );
    }
  }

  /**
   * One `aws_lambda_invocation` per stage, `for_each` over that stage's entries. Each stage depends on the
   * role policy (SQL runs only while the function may run it; destroy SQL runs before the policy goes) and
   * on the stage before it (created after it, destroyed before it).
   */
  private sqlResourceStages(): void {
    const rolePolicies = this.tasker.node.findAll().filter((c): c is IamRolePolicy => c instanceof IamRolePolicy);
    if (rolePolicies.length !== 1) throw new TaskerRolePolicyNotFoundError(rolePolicies.length);
    const stages: LambdaInvocation[] = [];
    for (let stage = 0; stage < SQL_RESOURCE_STAGES; stage++) {
      const invocation = new LambdaInvocation(this, sqlStageResourceId(stage), {
        functionName: this.tasker.lambdaFunction.functionName,
        input: '${each.value.input}',
        lifecycleScope: TERRAFORM_LIFECYCLE.SCOPE,
        terraformKey: TERRAFORM_LIFECYCLE.KEY,
        dependsOn: [rolePolicies[0], ...stages.slice(-1)],
      });
      invocation.addOverride('for_each', `\${{ for key, entry in var.${SQL_INVOCATIONS_INPUT} : key => entry if entry.stage == ${stage} }}`);
      // Without update SQL, a changed definition replaces the entry (old destroy, then new create), as in the construct.
      invocation.addOverride('triggers', `\${each.value.replace_on_change ? { ${DEFINITION_TRIGGER} = sha256(each.value.input) } : null}`);
      invocation.overrideLogicalId(sqlStageResourceId(stage));
      stages.push(invocation);
    }
    const results = stages.map((_, stage) => `{ for key, r in aws_lambda_invocation.${sqlStageResourceId(stage)} : key => jsondecode(r.result) }`);
    new TerraformOutput(this, `output_${SQL_RESULTS_OUTPUT}`, { value: `\${merge(${results.join(', ')})}`, description: SQL_RESULTS_DESCRIPTION }).overrideLogicalId(
      SQL_RESULTS_OUTPUT,
    );
  }

  /** Partition and region data sources, created once and shared by the default ARNs. */
  private awsEnv(): { partition: DataAwsPartition; region: DataAwsRegion } {
    this.env ??= { partition: new DataAwsPartition(this, 'Partition'), region: new DataAwsRegion(this, 'Region') };
    return this.env;
  }

  /** The role's account id (from its ARN, so planning needs no STS call); call only once the tasker exists. */
  private accountId(): string {
    return Fn.element(Fn.split(':', this.tasker.role.arn), 4);
  }

  /**
   * `var.state_machine_arns`, or every state machine of the account and region when it is null (the
   * construct's own default, which it applies only when the prop is absent).
   */
  private stateMachineArnsOrAll(): string[] {
    const { partition, region } = this.awsEnv();
    const local = new TerraformLocal(
      this,
      'local_state_machine_arns',
      Lazy.anyValue({
        produce: () =>
          Fn.conditional(Op.eq(this.input('state_machine_arns').value, Token.nullValue()), [
            `arn:${partition.partition}:states:${region.name}:${this.accountId()}:stateMachine:*`,
          ], this.input('state_machine_arns').listValue),
      }),
    );
    local.overrideLogicalId('state_machine_arns');
    return local.asList;
  }

  private declareInput(name: string): void {
    const spec = MODULE_INPUTS.find((input) => input.name === name);
    if (spec === undefined) throw new Error(`variant input '${name}' is not a module input`);
    const variable = new TerraformVariable(this, `input_${name}`, { type: spec.type, description: spec.description });
    variable.overrideLogicalId(name);
    this.inputs.set(name, variable);
  }

  private input(name: string): TerraformVariable {
    const variable = this.inputs.get(name);
    if (variable === undefined) throw new Error(`variant ${this.variant.target}.${this.variant.key} has no input '${name}'`);
    return variable;
  }

  private str(name: string): string {
    return this.input(name).stringValue;
  }

  private num(name: string): number {
    return this.input(name).numberValue;
  }

  private target(): RedshiftTarget {
    const database = this.str('database');
    switch (this.variant.target) {
      case 'cluster-db-user':
        return { clusterIdentifier: this.str('cluster_identifier'), database, dbUser: this.str('db_user') };
      case 'cluster-secret':
        return { clusterIdentifier: this.str('cluster_identifier'), database, secretArn: this.str('secret_arn') };
      case 'workgroup-iam':
        return { workgroupName: this.str('workgroup_name'), database, workgroupArn: this.workgroupArnOrAll() };
      case 'workgroup-secret':
        return {
          workgroupName: this.str('workgroup_name'),
          database,
          secretArn: this.str('secret_arn'),
          workgroupArn: this.workgroupArnOrAll(),
        };
    }
  }

  /**
   * `var.workgroup_arn`, or every workgroup of the account and region when it is null (the construct's
   * own default, which it applies only when the prop is absent). The account id comes from the role's
   * ARN, as in the construct, so planning needs no STS call; `Lazy` because the role exists only later.
   * The fallback is built with `format()`, not a string template: a `${...}` inside a built-in function's
   * argument makes cdktf warn that escape sequences are unsupported.
   */
  private workgroupArnOrAll(): string {
    const { partition, region } = this.awsEnv();
    return Lazy.stringValue({
      produce: () => {
        const all = Fn.format('arn:%s:redshift-serverless:%s:%s:workgroup/*', [partition.partition, region.name, this.accountId()]);
        return Fn.coalesce([this.str('workgroup_arn'), all]);
      },
    });
  }

  /**
   * Points the functions at the parent module's copy of the handler zip. The construct's asset path is
   * relative to the directory Terraform runs in, which a module cannot know; the parent passes
   * `${path.module}/...` instead.
   */
  private useHandlerZipInput(handlerZip: TerraformVariable): void {
    const functions = this.tasker.node.findAll().filter((c): c is LambdaFunction => c instanceof LambdaFunction);
    for (const fn of functions) fn.addOverride('filename', handlerZip.stringValue);
  }
}
