/**
 * The settings table is the one source of defaults and ranges: prop validation, the module inputs and the
 * handler's configuration must all take theirs from it, so each layer is checked against the table here.
 */
import { readConfig } from '../../../functions/tasker/platform/config';
import { SETTINGS, settingProblem, type Setting, type SettingName } from '../../../functions/shared/settings';
import { MODULE_INPUTS } from '../../../module-builder/module-inputs';
import { resolveTaskerConfig } from '../../../modules/resolve-tasker-config';
import { TaskerConfigurationError } from '../../../modules/tasker-config';
import type { SfnRedshiftTaskerProps } from '../../../modules/tasker-props';

const entries = Object.entries(SETTINGS) as [SettingName, Setting][];
// stateMachineArns: cancelOnExecutionEnd needs it.
const target = {
  redshiftTarget: { clusterIdentifier: 'c', database: 'dev', dbUser: 'u' },
  stateMachineArns: ['arn:aws:states:eu-west-1:123456789012:stateMachine:nightly'],
};
const handlerBase = { TRACKING_TABLE_NAME: 't', REDSHIFT_CLUSTER_IDENTIFIER: 'c', REDSHIFT_DB_USER: 'u', REDSHIFT_DATABASE: 'dev' };

/** The props with setting `key` set to `value` (nested keys such as `alarms.x` go inside their parent). */
function propsWith(key: string, value: unknown): SfnRedshiftTaskerProps {
  const [parent, child] = key.split('.');
  return { ...target, ...(child === undefined ? { [parent]: value } : { [parent]: { [child]: value } }) } as SfnRedshiftTaskerProps;
}

function propProblems(props: SfnRedshiftTaskerProps): readonly string[] {
  try {
    resolveTaskerConfig('etl', props);
    return [];
  } catch (error) {
    if (error instanceof TaskerConfigurationError) return error.problems;
    throw error;
  }
}

/** A value just outside what the setting allows, and the edges inside. */
function outsideAndEdges(setting: Setting): { outside: unknown[]; inside: unknown[] } {
  switch (setting.type) {
    case 'whole':
      return { outside: [setting.min - 1, setting.max + 1, setting.min + 0.5], inside: [setting.min, setting.max] };
    case 'choice':
      return { outside: [typeof setting.values[0] === 'number' ? 2 : 'nope'], inside: [...setting.values] };
    case 'flag':
      return { outside: ['yes'], inside: [true, false] };
    case 'text':
      return { outside: ['every five minutes'], inside: [setting.default] };
  }
}

describe('SETTINGS', () => {
  it('each default is a value the setting allows', () => {
    for (const [name, setting] of entries) {
      if (setting.default !== undefined) expect(settingProblem(name, setting, setting.default)).toBeUndefined();
    }
  });

  describe.each(entries)('%s', (name, setting) => {
    const { outside, inside } = outsideAndEdges(setting);

    it('prop validation refuses what the table refuses and takes its edges', () => {
      for (const value of outside) expect(propProblems(propsWith(name, value)).join('\n')).toContain(name);
      // reservedConcurrency 1 is also refused with a callback path (a rule between props: validate-props.test.ts).
      const edges = name === 'reservedConcurrency' ? inside.filter((value) => value !== 1) : inside;
      for (const value of edges) expect(propProblems(propsWith(name, value))).toEqual([]);
    });

    if (setting.input !== undefined) {
      it('the module input has the table default and a check of the same range', () => {
        const input = MODULE_INPUTS.find((candidate) => candidate.name === setting.input);
        expect(input).toBeDefined();
        expect(input?.default).toEqual(setting.default ?? null);
        const conditions = (input?.validation ?? []).map((check) => check.condition).join('\n');
        if (setting.type === 'whole') expect(conditions).toContain(`>= ${setting.min} && var.${setting.input} <= ${setting.max}`);
        if (setting.type === 'choice') for (const value of setting.values) expect(conditions).toContain(JSON.stringify(value));
        if (setting.type === 'flag') expect(input?.type).toBe('bool');
      });
    }

    if (setting.env !== undefined && setting.env !== 'POWERTOOLS_LOG_LEVEL') {
      const env = setting.env;
      it('the handler reads its default and refuses what the table refuses', () => {
        const config = readConfig(handlerBase) as unknown as Record<string, unknown>;
        expect(config[name]).toEqual(setting.default);
        for (const value of outside) expect(() => readConfig({ ...handlerBase, [env]: String(value) })).toThrow(env);
        for (const value of inside) expect(() => readConfig({ ...handlerBase, [env]: String(value) })).not.toThrow();
      });
    }
  });
});
