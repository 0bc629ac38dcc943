/**
 * The Terraform module plain-HCL users call (`module "tasker" { source = ".../terraform-module" }`).
 *
 * One configuration: the `SfnRedshiftTasker` construct, built with every module input as a Terraform
 * reference. The inputs that pick the target kind, the credentials and the key source are given as
 * plan-time values (`orNull`), so Terraform chooses the environment, the credential statement, the Data
 * API ARN and whether the module's own key exists; every resource keeps its address whatever the inputs.
 * Its variables carry types, descriptions, defaults and `validation` blocks (`module-inputs.ts`); its
 * outputs are the construct's public properties (`module-outputs.ts`).
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { Fn, Lazy, Op, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { TERRAFORM_LIFECYCLE } from '../functions/shared/contract';
import { STATEMENT_NAME_PREFIX_BASE } from '../functions/shared/settings';
import { locateHandlerBundle } from '../modules/handler-asset';
import { orNull } from '../modules/plan-time';
import { DEFINITION_TRIGGER } from '../modules/sql-resource';
import { SfnRedshiftTasker } from '../modules/sfn-redshift-tasker';
import { TaskerCode } from '../modules/tasker-code';
import type { TaskerLogLevel } from '../modules/tasker-props';
import { makeChildModule } from './child-module';
import { MODULE_INPUTS } from './module-inputs';
import { MODULE_OUTPUTS } from './module-outputs';
import { operationsPropsFrom } from './operations-inputs';
import {
  SQL_INVOCATIONS_INPUT,
  SQL_RESOURCE_STAGES,
  SQL_RESULTS_DESCRIPTION,
  SQL_RESULTS_OUTPUT,
  SQL_STAGES_PRECONDITION,
  sqlResourceLocals,
} from './sql-resources-input';

/** Where the module keeps the handler zip, relative to its root. */
export const MODULE_HANDLER_ZIP = 'handler/tasker-handler.zip';
/** Id of the construct inside the module (its resources' logical ids start with it). */
export const TASKER_CONSTRUCT_ID = 'Tasker';

/** Logical id of the SQL resources of one stage (`aws_lambda_invocation.sql_resource_stage_<n>`). */
export const sqlStageResourceId = (stage: number): string => `sql_resource_stage_${stage}`;

export class TaskerModuleStack extends TerraformStack {
  public readonly tasker: SfnRedshiftTasker;
  private readonly inputs = new Map<string, TerraformVariable>();
  private readonly partition: DataAwsPartition;
  private readonly region: DataAwsRegion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Kept for cdktf's validation and `required_providers`; `makeChildModule` removes the block.
    new AwsProvider(this, 'aws', {});
    makeChildModule(this);
    for (const input of MODULE_INPUTS) this.declareInput(input);
    this.partition = new DataAwsPartition(this, 'Partition');
    this.region = new DataAwsRegion(this, 'Region');

    const statementNamePrefix = this.local(
      'statement_name_prefix',
      `\${coalesce(var.statement_name_prefix, "${STATEMENT_NAME_PREFIX_BASE}\${var.name_prefix}-")}`,
    );
    // `${path.module}` here, not in a function call: cdktf escapes it to `$${path.module}` inside `Fn.*`.
    const handlerZip = this.local('handler_zip', `\${path.module}/${MODULE_HANDLER_ZIP}`);
    // `sql_resources` reaches the invocations normalised (JSON input, stage, replace-on-change), not as written.
    for (const [name, expression] of Object.entries(sqlResourceLocals())) this.local(name, `\${${expression}}`);

    this.tasker = new SfnRedshiftTasker(this, TASKER_CONSTRUCT_ID, {
      // Plan-time values: Terraform picks the target kind, the credentials and the key source from the inputs.
      redshiftTarget: {
        clusterIdentifier: orNull(this.str('cluster_identifier')),
        workgroupName: orNull(this.str('workgroup_name')),
        database: this.str('database'),
        dbUser: orNull(this.str('db_user')),
        secretArn: orNull(this.str('secret_arn')),
        workgroupArn: orNull(this.str('workgroup_arn')),
      },
      encryptionKey: orNull(this.str('encryption_key_arn')),
      // The zip ships beside the configuration; the hash is the shipped bundle's, fixed at build time.
      code: TaskerCode.fromZipFile(handlerZip.asString, locateHandlerBundle().sha256),
      namePrefix: this.str('name_prefix'),
      statementNamePrefix: statementNamePrefix.asString,
      // These decide which resources exist in the construct; the module keeps the construct's defaults.
      createCallbackInfra: true,
      deployDeadLetterQueue: true,
      separateCompleter: false,
      maxReceiveCount: this.num('max_receive_count'),
      logLevel: this.str('log_level') as TaskerLogLevel,
      abortedErrorName: this.str('aborted_error_name') as 'FAILED' | 'ABORTED',
      describeOnSuccess: this.input('describe_on_success').booleanValue as unknown as boolean,
      sweepGraceSeconds: this.num('sweep_grace_seconds'),
      fastPathSeconds: this.num('fast_path_seconds'),
      itemTtlSeconds: this.num('item_ttl_seconds'),
      callbackMaxAgeSeconds: this.num('callback_max_age_seconds'),
      lambdaTimeout: this.num('lambda_timeout'),
      batchSize: this.num('batch_size'),
      sweepSchedule: this.str('sweep_schedule'),
      logRetentionDays: this.num('log_retention_days'),
      lambdaMemorySize: this.num('lambda_memory_size'),
      reservedConcurrency: this.num('reserved_concurrency'),
      tags: Token.asStringMap(this.input('tags').value),
      stateMachineArns: this.stateMachineArnsOrAll(),
      // Heartbeats, orphans, metrics, alarms and the platform knobs: all decided at plan time.
      ...operationsPropsFrom((name) => this.input(name)),
    });
    this.sqlResourceStages();

    for (const output of MODULE_OUTPUTS) {
      new TerraformOutput(this, `output_${output.name}`, {
        value: output.valueOf(this.tasker),
        description: output.description,
      }).overrideLogicalId(output.name);
    }
  }

  /**
   * One `aws_lambda_invocation` per stage, `for_each` over that stage's entries. Each stage depends on the
   * role policy (SQL runs only while the function may run it; destroy SQL runs before the policy goes) and
   * on the stage before it (created after it, destroyed before it).
   */
  private sqlResourceStages(): void {
    const stages: LambdaInvocation[] = [];
    for (let stage = 0; stage < SQL_RESOURCE_STAGES; stage++) {
      const invocation = new LambdaInvocation(this, sqlStageResourceId(stage), {
        functionName: this.tasker.lambdaFunction.functionName,
        input: '${each.value.input}',
        lifecycleScope: TERRAFORM_LIFECYCLE.SCOPE,
        terraformKey: TERRAFORM_LIFECYCLE.KEY,
        dependsOn: [this.tasker.rolePolicy, ...stages.slice(-1)],
      });
      invocation.addOverride(
        'for_each',
        `\${{ for key, entry in local.${SQL_INVOCATIONS_INPUT} : key => entry if entry.stage == ${stage} }}`,
      );
      // Without update SQL, a changed definition replaces the entry (old destroy, then new create), as in the construct.
      invocation.addOverride('triggers', `\${each.value.replace_on_change ? { ${DEFINITION_TRIGGER} = sha256(each.value.input) } : null}`);
      invocation.overrideLogicalId(sqlStageResourceId(stage));
      stages.push(invocation);
    }
    const results = stages.map(
      (_, stage) => `{ for key, r in aws_lambda_invocation.${sqlStageResourceId(stage)} : key => jsondecode(r.result) }`,
    );
    const output = new TerraformOutput(this, `output_${SQL_RESULTS_OUTPUT}`, {
      value: `\${merge(${results.join(', ')})}`,
      description: SQL_RESULTS_DESCRIPTION,
    });
    output.overrideLogicalId(SQL_RESULTS_OUTPUT);
    // Entries whose depends_on_keys never resolve get no stage: fail the plan naming them. (cdktf 0.21 does
    // not write TerraformOutput's `precondition` option, hence the override.)
    output.addOverride('precondition', [
      { condition: `\${${SQL_STAGES_PRECONDITION.condition}}`, error_message: SQL_STAGES_PRECONDITION.errorMessage },
    ]);
  }

  /** The role's account id (from its ARN, so planning needs no STS call); call only once the tasker exists. */
  private accountId(): string {
    return Fn.element(Fn.split(':', this.tasker.role.arn), 4);
  }

  /**
   * `var.state_machine_arns`, or every state machine of the account and region when it is null (the
   * construct's own default, which it applies only when the prop is absent). `Lazy`: the role the
   * account id comes from exists only once the construct does.
   */
  private stateMachineArnsOrAll(): string[] {
    const local = new TerraformLocal(
      this,
      'local_state_machine_arns',
      Lazy.anyValue({
        produce: () =>
          Fn.conditional(
            Op.eq(this.input('state_machine_arns').value, Token.nullValue()),
            [`arn:${this.partition.partition}:states:${this.region.id}:${this.accountId()}:stateMachine:*`],
            this.input('state_machine_arns').listValue,
          ),
      }),
    );
    local.overrideLogicalId('state_machine_arns');
    return local.asList;
  }

  private local(name: string, expression: string): TerraformLocal {
    const local = new TerraformLocal(this, `local_${name}`, expression);
    local.overrideLogicalId(name);
    return local;
  }

  private declareInput(input: (typeof MODULE_INPUTS)[number]): void {
    const hasDefault = Object.hasOwn(input, 'default');
    const variable = new TerraformVariable(this, `input_${input.name}`, {
      type: input.type,
      description: input.description,
      ...(hasDefault && input.default !== null ? { default: input.default } : {}),
      ...(hasDefault ? {} : { nullable: false }),
      validation: input.validation?.map((v) => ({ condition: `\${${v.condition}}`, errorMessage: v.errorMessage })),
    });
    variable.overrideLogicalId(input.name);
    // cdktf cannot render a `null` default itself (it walks the value as an object).
    if (hasDefault && input.default === null) variable.addOverride('default', null);
    this.inputs.set(input.name, variable);
  }

  private input(name: string): TerraformVariable {
    const variable = this.inputs.get(name);
    if (variable === undefined) throw new Error(`the module has no input '${name}'`);
    return variable;
  }

  private str(name: string): string {
    return this.input(name).stringValue;
  }

  private num(name: string): number {
    return this.input(name).numberValue;
  }
}
