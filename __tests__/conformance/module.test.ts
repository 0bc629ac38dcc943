/**
 * Conformance of the committed `terraform-module/`, applied for real from an HCL root to moto_server (or an
 * account: docs/conformance.md). One apply serves every scenario, in this order:
 * (a) the re-plan is empty but for the named emulator gaps; (c) the applied rule routes exactly what the
 * local kit's matcher routes; (d) the handler bundle starts a statement into the applied table and completes
 * it from an event read off the applied queue; (b) each "in place" row of the module README, applied;
 * `name_prefix` replaces; then (a) destroy leaves nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformRoot, changedAttributes } from './support/terraform-root';
import { baselineInputs, moduleRootConfig } from './support/module-root';
import { conformanceMode } from './support/conformance-target';
import { conformanceSuite, type ConformanceContext } from './support/suite';
import { gapChanges, QUEUE_POLICY_DROPPED_GAP, significantChanges, TASKER_EMULATOR_GAPS } from './support/emulator-gaps';
import { expectRoutingAgreesWithLocalMatcher } from './support/routing';
import { expectHandlerStartsAndCompletes } from './support/handler-flow';
import { expectNothingLeft } from './support/leftovers';
import { IN_PLACE_STEPS, NAME_PREFIX_REPLACES } from './support/in-place-steps';

const APPLY_TIMEOUT = 10 * 60_000;
/**
 * (c) and (d) need the emulator: AWS refuses PutEvents entries whose source starts with `aws.` (only Redshift
 * sends its status events), and the handler would need a real Redshift target (docs/conformance.md).
 */
const onEmulatorOnly = conformanceMode() === 'emulator' ? test : test.skip;

conformanceSuite('conformance: terraform-module/ applied from an HCL root', (context) => {
  let root: TerraformRoot;
  let ctx: ConformanceContext;
  let inputs: Record<string, unknown>;
  let outputs: Record<string, any>;
  let destroyed = false;
  const expectedGaps = () => (ctx.target.mode === 'emulator' ? gapChanges(TASKER_EMULATOR_GAPS) : []);
  const configure = (next: Record<string, unknown>) => {
    inputs = next;
    root.writeConfig(moduleRootConfig(ctx.target, inputs));
  };

  beforeAll(async () => {
    ctx = context();
    const dir = join(ctx.workDir, 'module-root');
    mkdirSync(dir, { recursive: true });
    root = new TerraformRoot(dir);
    configure(baselineInputs(ctx.target.namePrefix));
    await root.init();
    await root.apply();
    outputs = await root.outputs();
  }, APPLY_TIMEOUT);

  afterAll(async () => {
    // Runs after a failure too: nothing stays behind on the emulator or in the account.
    try {
      if (!destroyed && root !== undefined) await root.destroy();
    } finally {
      if (root !== undefined) writeFileSync(join(ctx.workDir, 'module-timings.json'), JSON.stringify(root.runs, null, 2));
    }
  }, APPLY_TIMEOUT);

  test("(a) the apply creates the 17 resources of the default module, plus the caller's key", async () => {
    const resources = await root.stateResources();
    expect([...resources.keys()].filter((address) => address.startsWith('module.tasker.'))).toHaveLength(17);
    expect(outputs.tasker.table_name).toBe(`${ctx.target.namePrefix}-tracking`);
  });

  test(
    '(a) a plan right after the apply changes nothing but the named emulator gaps',
    async () => {
      const changes = await root.plannedChanges();
      expect(changes.every((change) => change.actions.join() === 'update')).toBe(true);
      expect(changedAttributes(changes)).toEqual(expectedGaps());
    },
    APPLY_TIMEOUT,
  );

  onEmulatorOnly(
    "(c) the applied rule routes exactly the events the local kit's matcher routes",
    async () => {
      await expectRoutingAgreesWithLocalMatcher(ctx.target, outputs.tasker);
    },
    120_000,
  );

  onEmulatorOnly(
    '(d) the handler bundle registers a start in the applied table and completes it from the applied queue',
    async () => {
      const fn = [...(await root.stateResources()).values()].find((r) => r.type === 'aws_lambda_function');
      await expectHandlerStartsAndCompletes(ctx.target, outputs.tasker, fn!.values.environment[0].variables as Record<string, string>);
    },
    120_000,
  );

  describe.each(IN_PLACE_STEPS.map((step) => [step.readmeRow, step] as const))('(b) README row %s', (_row, step) => {
    const onEmulator = step.onEmulator ?? 'apply';
    const applied = conformanceMode() === 'aws' || onEmulator === 'apply';
    const run = conformanceMode() === 'emulator' && onEmulator === 'skip' ? test.skip : test;
    const title = applied
      ? 'plans only the changes the README names, applies them, and leaves nothing to change'
      : onEmulator === 'plan'
        ? 'plans only the changes the README names (not applied on the emulator: KEY_SWITCH_GAP)'
        : 'runs against AWS only: it starts from the applied row before it (KEY_SWITCH_GAP)';
    run(
      title,
      async () => {
        // After a queue update, moto has dropped the queue policies too (QUEUE_POLICY_DROPPED_GAP).
        const gaps = ctx.target.mode === 'emulator' ? [...TASKER_EMULATOR_GAPS, QUEUE_POLICY_DROPPED_GAP] : [];
        const before = inputs;
        configure(step.inputs(inputs, outputs));
        const changes = significantChanges(await root.plannedChanges(), gaps);
        let after: unknown[] = [];
        if (applied) {
          // Applied before the plan is judged, so a wrong expectation does not leave the next rows a stale state.
          await root.applySavedPlan();
          after = significantChanges(await root.plannedChanges(), gaps);
        } else {
          configure(before);
        }
        expect(changes.filter((c) => c.replacedBy.length > 0).map((c) => c.address)).toEqual([]);
        expect(changes.map((c) => `${c.type} ${c.actions.join('+')}`).sort()).toEqual(step.expectedActions);
        expect(changedAttributes(changes)).toEqual(step.expectedChanges);
        expect(after).toEqual([]);
      },
      APPLY_TIMEOUT,
    );
  });

  test(
    '(b) name_prefix is the change that replaces: every named resource, planned (not applied)',
    async () => {
      root.writeConfig(moduleRootConfig(ctx.target, { ...inputs, name_prefix: `${ctx.target.namePrefix}-b` }));
      const changes = await root.plannedChanges();
      const replaced = changes.filter((c) => c.actions.includes('delete') && c.actions.includes('create')).map((c) => c.type);
      // Every named resource the README lists is replaced (with what names or points at it), nothing only deleted.
      expect(replaced.sort()).toEqual(expect.arrayContaining([...NAME_PREFIX_REPLACES]));
      expect(changes.filter((c) => c.actions.join() === 'delete').map((c) => c.address)).toEqual([]);
    },
    APPLY_TIMEOUT,
  );

  test(
    '(a) destroy removes everything the apply created',
    async () => {
      configure(inputs);
      await root.destroy();
      destroyed = true;
      expect((await root.stateResources()).size).toBe(0);
      await expectNothingLeft(ctx.target, inputs.name_prefix as string);
    },
    APPLY_TIMEOUT,
  );
});
