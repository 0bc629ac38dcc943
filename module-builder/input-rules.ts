/**
 * The module inputs' defaults and `validation` blocks that come from the shared tables: a setting's default
 * and range (`SETTINGS`) and the rules between the Redshift target's fields (`TARGET_RULES`). The construct
 * checks the same tables at synth time, so a value the module refuses is one the construct refuses too.
 *
 * Conditions hold for `null` without relying on `||` short-circuiting (`try(...)` around what would fail on null).
 */
import { TARGET_FIELDS, TARGET_RULES, type TargetField } from '../functions/shared/redshift-target';
import { SETTINGS, type Setting, type SettingName } from '../functions/shared/settings';
import type { InputValidation, ModuleInput } from './module-input';

const hclList = (values: readonly (string | number)[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/** The check of one setting's value, for an input named `name`; null passes when the setting has no default. */
function settingValidation(name: string, setting: Setting): InputValidation | undefined {
  const orNull = (condition: string): string => (setting.default === undefined ? `var.${name} == null || ${condition}` : condition);
  switch (setting.type) {
    case 'whole':
      return {
        condition: orNull(
          `try(var.${name} >= ${setting.min} && var.${name} <= ${setting.max} && floor(var.${name}) == var.${name}, false)`,
        ),
        errorMessage:
          `${name} must be ${setting.default === undefined ? 'null or ' : ''}a whole number from ${setting.min} to ` + `${setting.max}.`,
      };
    case 'choice':
      return {
        condition: `contains(${hclList(setting.values)}, var.${name})`,
        errorMessage: `${name} must be one of ${setting.values.join(', ')}.`,
      };
    case 'text':
      return {
        condition: `can(regex(${JSON.stringify(setting.pattern)}, var.${name}))`,
        errorMessage: `${name} must be ${setting.describe}.`,
      };
    case 'flag':
      return undefined; // Terraform's `bool` type is the whole check.
  }
}

/** Terraform's type for a setting's values. */
function terraformType(setting: Setting): string {
  if (setting.type === 'flag') return 'bool';
  if (setting.type === 'whole' || (setting.type === 'choice' && typeof setting.values[0] === 'number')) return 'number';
  return 'string';
}

/** The input that carries setting `key`: its name, type, default and validation from the table, with `description`. */
export function settingInput(key: SettingName, description: string): ModuleInput {
  const setting: Setting = SETTINGS[key];
  if (setting.input === undefined) throw new Error(`setting ${key} has no module input`);
  const validation = settingValidation(setting.input, setting);
  return {
    name: setting.input,
    type: terraformType(setting),
    description,
    default: setting.default ?? null,
    ...(validation ? { validation: [validation] } : {}),
  };
}

const isNull = (field: TargetField): string => `var.${TARGET_FIELDS[field].input} == null`;

/** The `TARGET_RULES` checked on the input of `field`: each rule sits on its first field's input. */
export function targetValidation(field: TargetField): InputValidation[] {
  return TARGET_RULES.filter((rule) => (rule.rule === 'forbidden' ? rule.field : rule.fields[0]) === field).map((rule) => {
    const guard = rule.when === undefined ? '' : `${isNull(rule.when)} || `;
    if (rule.rule === 'forbidden') {
      const input = TARGET_FIELDS[rule.field].input;
      return { condition: `${guard}${isNull(rule.field)}`, errorMessage: `${capitalised(rule.subject)} takes no ${input}: ${rule.why}.` };
    }
    const [first, second] = rule.fields.map((name) => TARGET_FIELDS[name].input);
    return {
      condition: `${guard}((${isNull(rule.fields[0])}) != (${isNull(rule.fields[1])}))`,
      errorMessage: `${capitalised(rule.subject)} needs exactly one of ${first} and ${second} (${rule.why}).`,
    };
  });
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
