/**
 * The Terraform module plain-HCL users call (`module "tasker" { source = ".../terraform-module" }`).
 *
 * Its input variables are the tasker's settings, typed, described, with defaults and `validation`
 * blocks (`module-inputs.ts`). It holds no resources itself: it turns on exactly one of its variants
 * (`variants.ts`, each `SfnRedshiftTasker` synthesised with one shape) with `count`, passes it every
 * input, and passes its outputs through.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformHclModule, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { makeChildModule } from './child-module';
import { MODULE_INPUTS } from './module-inputs';
import { MODULE_OUTPUTS } from './module-outputs';
import {
  SQL_INVOCATIONS_INPUT,
  SQL_RESOURCES_INPUT,
  SQL_RESULTS_DESCRIPTION,
  SQL_RESULTS_OUTPUT,
  SQL_STAGES_PRECONDITION,
  sqlResourceLocals,
} from './sql-resources-input';
import { HANDLER_ZIP_INPUT } from './tasker-variant-stack';
import { MODULE_VARIANTS, shapeInputsOf, variantBlockName, variantFolder, variantName, variantTemplate } from './variants';

/** Where the module keeps the handler zip, relative to its root. */
export const MODULE_HANDLER_ZIP = 'handler/tasker-handler.zip';

const SHAPE_INPUT_NAMES = new Set(MODULE_VARIANTS.flatMap(shapeInputsOf));

export class TaskerModuleStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Kept for cdktf's validation and `required_providers`; `makeChildModule` removes the block.
    new AwsProvider(this, 'aws', {});
    makeChildModule(this);

    for (const input of MODULE_INPUTS) {
      const hasDefault = Object.prototype.hasOwnProperty.call(input, 'default');
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
    }

    const variant = new TerraformLocal(this, "local_variant", variantTemplate());
    variant.overrideLogicalId('variant');
    // `${path.module}` here, not in a function call: cdktf escapes it to `$${path.module}` inside `Fn.*`.
    const handlerZip = new TerraformLocal(this, `local_${HANDLER_ZIP_INPUT}`, `\${path.module}/${MODULE_HANDLER_ZIP}`);
    handlerZip.overrideLogicalId(HANDLER_ZIP_INPUT);

    // `sql_resources` reaches the variants normalised (JSON input, stage, replace-on-change), not as written.
    for (const [name, expression] of Object.entries(sqlResourceLocals())) {
      new TerraformLocal(this, `local_${name}`, `\${${expression}}`).overrideLogicalId(name);
    }

    const blocks = MODULE_VARIANTS.map((v) => {
      const args: Record<string, unknown> = {
        [HANDLER_ZIP_INPUT]: handlerZip.asString,
        [SQL_INVOCATIONS_INPUT]: `\${local.${SQL_INVOCATIONS_INPUT}}`,
      };
      for (const input of MODULE_INPUTS) {
        if (input.name === SQL_RESOURCES_INPUT) continue;
        if (!SHAPE_INPUT_NAMES.has(input.name) || shapeInputsOf(v).includes(input.name)) args[input.name] = `\${var.${input.name}}`;
      }
      const block = new TerraformHclModule(this, variantBlockName(v), {
        source: `./${variantFolder(v)}`,
        // The variants ship inside this module's folder; cdktf must not copy them as assets.
        skipAssetCreationFromLocalModules: true,
        variables: args,
      });
      block.addOverride('count', `\${local.variant == "${variantName(v)}" ? 1 : 0}`);
      return block;
    });

    for (const output of MODULE_OUTPUTS) {
      // The variants that are off contribute empty lists, so `one(...)` returns the value of the one that is on.
      const all = blocks.map((block) => `module.${block.friendlyUniqueId}[*].${output.name}`).join(', ');
      new TerraformOutput(this, `output_${output.name}`, { value: `\${one(concat(${all}))}`, description: output.description }).overrideLogicalId(
        output.name,
      );
    }
    const allResults = blocks.map((block) => `module.${block.friendlyUniqueId}[*].${SQL_RESULTS_OUTPUT}`).join(', ');
    const results = new TerraformOutput(this, `output_${SQL_RESULTS_OUTPUT}`, {
      value: `\${one(concat(${allResults}))}`,
      description: SQL_RESULTS_DESCRIPTION,
    });
    results.overrideLogicalId(SQL_RESULTS_OUTPUT);
    // Entries whose depends_on_keys never resolve get no stage: fail the plan naming them. (cdktf 0.21 does
    // not write TerraformOutput's `precondition` option, hence the override.)
    results.addOverride('precondition', [
      { condition: `\${${SQL_STAGES_PRECONDITION.condition}}`, error_message: SQL_STAGES_PRECONDITION.errorMessage },
    ]);
    new TerraformOutput(this, "output_variant", {
      value: variant.asString,
      description: 'The variant of the module in use: <target>.<key> (for example cluster-db-user.module-key).',
    }).overrideLogicalId('variant');
  }
}
