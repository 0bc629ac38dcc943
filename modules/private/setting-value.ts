/**
 * A prop's value with the shared table's default applied (`SETTINGS`), checked against the table's range or
 * choices. A Terraform reference passes unchecked: Terraform checks it (the module's `validation` blocks
 * come from the same table).
 */
import { Token } from 'cdktf';
import { SETTINGS, settingProblem, type Setting, type SettingName } from '../../functions/shared/settings';

type DefaultOf<K extends SettingName> = (typeof SETTINGS)[K] extends { readonly default: infer D } ? D : undefined;

export function settingValue<K extends SettingName, T>(name: K, given: T | undefined, problems: string[]): T | DefaultOf<K> {
  const setting: Setting = SETTINGS[name];
  const value = given ?? (setting.default as DefaultOf<K>);
  if (value !== undefined && !Token.isUnresolved(value)) {
    const problem = settingProblem(name, setting, value);
    if (problem !== undefined) problems.push(problem);
  }
  return value;
}
