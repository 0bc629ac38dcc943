/**
 * One line of the compatibility matrix (docs/supported-versions.md), as a jest suite: the packed package in a
 * fresh project (../support/consumer-project.ts) on the line's Node and packages. It installs with a plain
 * `npm install` (npm's peer and engine checks pass: no ERESOLVE, no EBADENGINE), the consumer's TypeScript
 * type-checks, the README quick start and the SQL-resources example synthesise, and, where the offline
 * provider mirror holds the provider the line pins (hashicorp/aws 5.100.0), `terraform validate` passes.
 *
 * Nothing here skips under CI: a Node that cannot be installed or a missing terraform fails the line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ConsumerLine,
  type ConsumerProject,
  type Flavour,
  installConsumerProject,
  packPackage,
  SYSTEM_TMP,
  synthesizedStacks,
} from '../support/consumer-project';
import { nodeAtLeast } from '../support/node-runtime';
import { terraformVersion } from '../support/terraform-cli';

const MINUTES = 60_000;
/** What aws 6 deprecates in our stacks' reach (the upgrade guide's `aws_region` entry); see aws-provider-compat.test.ts. */
const DEPRECATED_REGION_NAME = /data\.aws_region\.[\w-]+\.name\b/;

export interface MatrixLineSpec {
  readonly title: string;
  readonly flavour: Flavour;
  /** Packages installed next to the tarball, as typed on a command line. */
  readonly packages: readonly string[];
  /** Resolves the folder of the Node the line runs on (may install one). */
  readonly nodeBinDir: () => Promise<string>;
  /** The oldest Node the line may run on (the engines floor of what it installs). */
  readonly nodeFloor: readonly [number, number];
  /** Installed package → the major (or exact version) it must resolve to. */
  readonly expectInstalled: Readonly<Record<string, RegExp>>;
  /** The hashicorp/aws version the synthesised stacks pin. */
  readonly awsProviderPin: RegExp;
  /** Run `terraform validate` on the synthesised stacks (only where the offline mirror holds the pinned provider). */
  readonly validateOffline: boolean;
  /** Extra checks on the installed project. */
  readonly extra?: (project: () => ConsumerProject) => void;
}

export function describeMatrixLine(spec: MatrixLineSpec): void {
  let scratch: string;
  let project: ConsumerProject;
  const started = Date.now();

  beforeAll(async () => {
    scratch = mkdtempSync(join(SYSTEM_TMP, `sfnrs-matrix-${spec.flavour}-`));
    const line: ConsumerLine = { flavour: spec.flavour, packages: spec.packages, nodeBinDir: await spec.nodeBinDir() };
    project = await installConsumerProject(line, await packPackage(spec.flavour, scratch));
  }, 20 * MINUTES);

  afterAll(() => {
    // Measured wall time of the line (install, type check, synth, validate), for docs/supported-versions.md.
    console.log(`matrix line "${spec.title}": ${((Date.now() - started) / 1000).toFixed(1)} s on Node ${project?.nodeVersion ?? '?'}`);
    for (const dir of [scratch, project?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stackJson = (
    stack: string,
  ): { terraform: { required_providers: { aws: { version: string } } }; resource: Record<string, unknown> } =>
    JSON.parse(readFileSync(join(project.dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));

  describe(spec.title, () => {
    it(`runs on Node >= ${spec.nodeFloor.join('.')}`, () => {
      expect({ node: project.nodeVersion, atLeastFloor: nodeAtLeast(spec.nodeFloor, project.nodeVersion) }).toEqual({
        node: project.nodeVersion,
        atLeastFloor: true,
      });
    });

    it('installs with a plain npm install: no peer conflict (ERESOLVE), no engine warning (EBADENGINE)', () => {
      expect(project.installOutput).not.toMatch(/ERESOLVE|EBADENGINE|legacy-peer-deps/);
      for (const [name, version] of Object.entries(spec.expectInstalled)) {
        expect({ name, version: project.installed(name) }).toEqual({ name, version: expect.stringMatching(version) });
      }
    });

    it("type-checks the consumer's TypeScript (the README quick start and the SQL-resources example)", async () => {
      await expect(project.run('node_modules/.bin/tsc', ['-p', '.'])).resolves.toBeDefined();
    });

    it('synthesises the README quick start and the SQL-resources example, with nothing aws 6 deprecates', async () => {
      await project.run('node_modules/.bin/tsx', ['quick-start.ts']);
      await project.run('node_modules/.bin/tsx', ['sql/app.ts']);
      expect(synthesizedStacks(project.dir)).toEqual(['etl', 'sql-resources-example']);
      for (const stack of ['etl', 'sql-resources-example']) {
        const json = stackJson(stack);
        expect(json.terraform.required_providers.aws.version).toMatch(spec.awsProviderPin);
        expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(['aws_lambda_function', 'aws_dynamodb_table', 'aws_sqs_queue']));
        expect(JSON.stringify(json)).not.toMatch(DEPRECATED_REGION_NAME);
      }
      expect(Object.keys(stackJson('sql-resources-example').resource)).toContain('aws_lambda_invocation');
    });

    const tfVersion = terraformVersion();
    if (spec.validateOffline) {
      (tfVersion ? it : it.skip)(
        `terraform ${tfVersion ?? '(not installed)'} validate passes on both stacks with the offline provider`,
        async () => {
          for (const stack of ['etl', 'sql-resources-example']) {
            const cwd = join(project.dir, 'cdktf.out', 'stacks', stack);
            const env = { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
            await project.run('terraform', [`-chdir=${cwd}`, 'init', '-input=false', '-no-color', '-backend=false'], env);
            const validation = JSON.parse(
              (await project.run('terraform', [`-chdir=${cwd}`, 'validate', '-json', '-no-color'], env)).stdout,
            );
            expect({ stack, valid: validation.valid, errors: validation.error_count, warnings: validation.warning_count }).toEqual({
              stack,
              valid: true,
              errors: 0,
              warnings: 0,
            });
          }
        },
      );
    }

    spec.extra?.(() => project);
  });
}
