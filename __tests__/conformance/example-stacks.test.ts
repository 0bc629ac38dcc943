/**
 * Conformance of the cdktf example stacks without SQL resources (cluster-example, serverless-example),
 * synthesised as `cdktf synth` writes them and applied for real to moto_server (or an account:
 * docs/conformance.md): apply, a re-plan with nothing but the named emulator gaps, destroy with nothing left.
 * The two stacks apply side by side (their names do not overlap).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExampleApp } from '../../examples/app';
import { awsProviderBlock, type ConformanceTarget } from './support/conformance-target';
import { gapChanges, STATE_MACHINE_GAP, TASKER_EMULATOR_GAPS } from './support/emulator-gaps';
import { expectNothingLeft } from './support/leftovers';
import { conformanceSuite } from './support/suite';
import { changedAttributes, TerraformRoot } from './support/terraform-root';

const STACKS = [
  { id: 'cluster-example', namePrefix: 'cluster-example', stateMachines: 10 },
  { id: 'serverless-example', namePrefix: 'serverless-example', stateMachines: 0 },
] as const;
const APPLY_TIMEOUT = 10 * 60_000;
/** The resource type of STATE_MACHINE_GAP. */
const STATE_MACHINE_TYPE = STATE_MACHINE_GAP.change.split(' ')[0];

/**
 * `-target` for every resource of the stack but its state machines (STATE_MACHINE_GAP), on the emulator;
 * nothing (everything) against AWS.
 */
function applyTargets(stackDir: string, target: ConformanceTarget): string[] {
  if (target.mode !== 'emulator') return [];
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
  return Object.entries(stack.resource)
    .filter(([type]) => type !== STATE_MACHINE_TYPE)
    .flatMap(([type, resources]) => Object.keys(resources).map((name) => `-target=${type}.${name}`));
}

/** How many resources the synthesised stack declares, and how many of them are state machines. */
function declaredResources(stackDir: string): { all: number; stateMachines: number } {
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
  const counts = Object.entries(stack.resource).map(([type, resources]) => [type, Object.keys(resources).length] as const);
  return {
    all: counts.reduce((sum, [, count]) => sum + count, 0),
    stateMachines: counts.find(([type]) => type === STATE_MACHINE_TYPE)?.[1] ?? 0,
  };
}

/** Points the synthesised stack's provider at the target, keeping its default tags. */
function retarget(stackDir: string, target: ConformanceTarget): void {
  const file = join(stackDir, 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(file, 'utf8')) as { provider: { aws: Array<Record<string, unknown>> } };
  stack.provider.aws = stack.provider.aws.map((provider) => ({ ...provider, ...awsProviderBlock(target), region: '${var.aws_region}' }));
  writeFileSync(file, JSON.stringify(stack, null, 2));
}

conformanceSuite('conformance: the example stacks applied as synthesised', (context) => {
  const roots = new Map<string, TerraformRoot>();
  const destroyed = new Set<string>();
  let target: ConformanceTarget;
  const regionVar = () => [`-var=aws_region=${target.region}`];

  beforeAll(async () => {
    const { workDir } = context();
    target = context().target;
    buildExampleApp({ outdir: join(workDir, 'cdktf.out') }).synth();
    for (const stack of STACKS) {
      const dir = join(workDir, 'cdktf.out', 'stacks', stack.id);
      retarget(dir, target);
      roots.set(stack.id, new TerraformRoot(dir));
    }
    await Promise.all(
      [...roots.values()].map(async (root) => {
        await root.init();
        await root.apply([...regionVar(), ...applyTargets(root.dir, target)]);
      }),
    );
  }, APPLY_TIMEOUT);

  afterAll(async () => {
    // After a failure too: destroy whatever is still applied.
    const results = await Promise.allSettled(
      [...roots].filter(([id]) => !destroyed.has(id)).map(([, root]) => root.destroy([...regionVar(), ...applyTargets(root.dir, target)])),
    );
    writeFileSync(
      join(context().workDir, 'example-timings.json'),
      JSON.stringify(Object.fromEntries([...roots].map(([id, root]) => [id, root.runs])), null, 2),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }, APPLY_TIMEOUT);

  test.each(STACKS)(
    '$id: the apply creates every resource the stack declares (on the emulator, its $stateMachines state machines aside)',
    async ({ id, stateMachines }) => {
      const root = roots.get(id)!;
      const declared = declaredResources(root.dir);
      expect(declared.stateMachines).toBe(stateMachines);
      const applied = declared.all - (target.mode === 'emulator' ? declared.stateMachines : 0);
      expect((await root.stateResources()).size).toBe(applied);
    },
  );

  test.each(STACKS)(
    '$id: a re-plan changes nothing but the named emulator gaps',
    async ({ id }) => {
      const root = roots.get(id)!;
      // On the emulator the state machines stay out of the plan too: the provider validates their definition when planning.
      const changes = await root.plannedChanges([...regionVar(), ...applyTargets(root.dir, target)]);
      expect(changes.every((change) => change.actions.join() === 'update')).toBe(true);
      expect(changedAttributes(changes)).toEqual(target.mode === 'emulator' ? gapChanges(TASKER_EMULATOR_GAPS) : []);
    },
    APPLY_TIMEOUT,
  );

  test.each(STACKS)(
    '$id: destroy leaves nothing',
    async ({ id, namePrefix }) => {
      const root = roots.get(id)!;
      // Targeted like the apply: a whole-configuration destroy would plan the state machines again (STATE_MACHINE_GAP).
      await root.destroy([...regionVar(), ...applyTargets(root.dir, target)]);
      destroyed.add(id);
      expect((await root.stateResources()).size).toBe(0);
      await expectNothingLeft(target, namePrefix);
    },
    APPLY_TIMEOUT,
  );
});
