import { MODULE_INPUTS } from '../../../modules/terraform-module/module-inputs';
import {
  MODULE_VARIANTS,
  shapeInputsOf,
  variantBlockName,
  variantFolder,
  variantName,
  variantTemplate,
} from '../../../modules/terraform-module/variants';

describe('module variants', () => {
  it('has one variant per target shape and key source, with distinct names, folders and block names', () => {
    expect(MODULE_VARIANTS).toHaveLength(8);
    for (const naming of [variantName, variantFolder, variantBlockName]) {
      expect(new Set(MODULE_VARIANTS.map(naming)).size).toBe(MODULE_VARIANTS.length);
    }
    expect(variantBlockName({ target: 'cluster-db-user', key: 'own-key' })).toBe('tasker_cluster_db_user_own_key');
  });

  it('gives each variant exactly the target inputs its shape uses', () => {
    expect(shapeInputsOf({ target: 'cluster-db-user', key: 'module-key' })).toEqual(['cluster_identifier', 'db_user']);
    expect(shapeInputsOf({ target: 'workgroup-secret', key: 'own-key' })).toEqual([
      'workgroup_name',
      'workgroup_arn',
      'secret_arn',
      'encryption_key_arn',
    ]);
    const inputNames = new Set(MODULE_INPUTS.map((input) => input.name));
    for (const v of MODULE_VARIANTS) for (const name of shapeInputsOf(v)) expect(inputNames).toContain(name);
  });

  it('names the selected variant from the inputs in a template every variant name can come out of', () => {
    const template = variantTemplate();
    for (const v of MODULE_VARIANTS) {
      expect(template).toContain(`"${v.target}"`);
      expect(template).toContain(`"${v.key}"`);
    }
  });
});
