/**
 * The CDK Terrain (cdktn) flavour as a user gets it: packed, installed into a fresh project next to cdktn,
 * @cdktn/provider-aws and constructs (see ../../support/cdktn-project.ts), synthesised by cdktn-cli, and
 * compared with the cdktf build. The Terraform checks run against the offline hashicorp/aws 5.100.0 provider
 * (what @cdktf/provider-aws 20.1.0 is generated from); @cdktn/provider-aws 25.7.0 pins 6.66.0, which no
 * machine here holds.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_STACKS } from '../../../examples/app';
import { CDKTN_PACKAGE_NAME } from '../../../modules/handler-bundle';
import { CDKTN_TESTED_VERSIONS } from '../../../scripts/cdktn-flavour';
import { type CdktnProject, prepareCdktnProject, REPO_ROOT } from '../../support/cdktn-project';
import { writeRepositorySourcesTsconfig } from '../../support/consumer-project';
import { jsonDifferences } from '../../support/json-differences';
import { terraformVersion } from '../../support/terraform-cli';
import { listFiles, terraform } from '../example-helpers';

/**
 * Every way a stack's Terraform JSON from the cdktn flavour differs from the cdktf build's (README, "CDK Terrain"):
 * the CDK's version stamp and the AWS provider requirement each prebuilt provider pins. `aws` and `hashicorp/aws`
 * name the same provider (registry.terraform.io/hashicorp/aws).
 */
const STACK_DIFFERENCES = [
  '//.metadata.version: "0.21.0" → "0.24.0"',
  'terraform.required_providers.aws.source: "aws" → "hashicorp/aws"',
  'terraform.required_providers.aws.version: "5.100.0" → "6.66.0"',
];
/** cdktf's own manifest.json (not Terraform) records the CDK's version too. */
const MANIFEST_DIFFERENCES = ['version: "0.21.0" → "0.24.0"'];
const OFFLINE_PROVIDER_VERSION = '5.100.0';
const CDKTN_PROVIDER_VERSION = '6.66.0';

let project: CdktnProject;
let scratch: string;
/** The example app and the module synthesised by the cdktf build (`lib/`) and by the flavour. */
let cdktfOut: string;
let cdktnOut: string;

beforeAll(async () => {
  project = await prepareCdktnProject();
  scratch = mkdtempSync(join(tmpdir(), 'cdktn-compare-'));
  cdktfOut = synthAppAndModule(join(REPO_ROOT, 'lib'), 'cdktf');
  cdktnOut = synthAppAndModule(join(project.flavourDir, 'lib'), 'cdktn');
}, 900_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a command in the cdktn project with the CLI's PATH (Node ≥ 22.19 first) and the offline Terraform config. */
function inProject(command: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(command, args, {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: project.cliPath, CHECKPOINT_DISABLE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Synthesises the example app and the Terraform module from `libDir` into a fresh folder under the scratch dir. */
function synthAppAndModule(libDir: string, name: string): string {
  const out = join(scratch, name);
  execFileSync(process.execPath, [join(REPO_ROOT, '__tests__', 'support', 'synth-app-and-module.js'), libDir, out], { stdio: 'pipe' });
  return out;
}

/** Differences between two synth output folders: JSON files compared by value, everything else by bytes. */
function outputDifferences(cdktfOut: string, cdktnOut: string): string[] {
  const files = listFiles(cdktfOut);
  expect(listFiles(cdktnOut)).toEqual(files);
  return files.flatMap((file) => {
    const [left, right] = [readFileSync(join(cdktfOut, file)), readFileSync(join(cdktnOut, file))];
    if (!file.endsWith('.json')) return left.equals(right) ? [] : [`${file}: bytes differ`];
    return jsonDifferences(JSON.parse(left.toString('utf8')), JSON.parse(right.toString('utf8'))).map((d) => `${file}: ${d}`);
  });
}

describe('a fresh CDK Terrain project with the packed cdktn flavour', () => {
  test('installs next to cdktn, @cdktn/provider-aws and constructs at the tested versions', () => {
    const installed = (name: string): string =>
      (JSON.parse(readFileSync(join(project.dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(installed('cdktn')).toBe(CDKTN_TESTED_VERSIONS.cdktn);
    expect(installed('@cdktn/provider-aws')).toBe(CDKTN_TESTED_VERSIONS['@cdktn/provider-aws']);
    expect(installed('constructs')).toBe(CDKTN_TESTED_VERSIONS.constructs);
    expect(installed(CDKTN_PACKAGE_NAME)).toBe(
      (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    // The user's project holds no cdktf package at all.
    expect(() => installed('cdktf')).toThrow(/ENOENT/);
    expect(() => installed('@cdktf/provider-aws')).toThrow(/ENOENT/);
  });

  test("the quick start type-checks against the flavour's declarations (they name cdktn, not cdktf)", () => {
    expect(() => inProject(join(project.dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'])).not.toThrow();
  });

  test(
    '`cdktn synth` (cdktn-cli) synthesises the quick-start stack; cdktf synthesises the same code to the same JSON apart from the ' +
      'listed differences',
    () => {
      rmSync(join(project.dir, 'cdktf.out'), { recursive: true, force: true });
      inProject(project.cdktnCli, ['synth']);
      const stackDir = join('stacks', 'etl');
      const cdktn = JSON.parse(readFileSync(join(project.dir, 'cdktf.out', stackDir, 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(cdktn.resource)).toEqual(expect.arrayContaining(['aws_lambda_function', 'aws_dynamodb_table', 'aws_sqs_queue']));

      // The very same main.ts, imports renamed back to cdktf and the package pointed at this checkout's sources.
      const cdktfMain = readFileSync(join(project.dir, 'main.ts'), 'utf8')
        .replace(/'@cdktn\/provider-aws\//g, "'@cdktf/provider-aws/")
        .replace(/from 'cdktn'/g, "from 'cdktf'")
        .replace(`'${CDKTN_PACKAGE_NAME}'`, `'${join(REPO_ROOT, 'modules', 'index')}'`);
      // Written below the checkout (the scratch dir is in .test-tmp), so `cdktf` resolves to its node_modules.
      const cdktfDir = join(scratch, 'quick-start-cdktf');
      mkdirSync(cdktfDir, { recursive: true });
      writeFileSync(join(scratch, 'quick-start-as-cdktf.ts'), cdktfMain);
      execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(scratch, 'quick-start-as-cdktf.ts')], {
        // From the project folder: the default local backend records an absolute path under the working directory.
        cwd: project.dir,
        env: { ...process.env, CDKTF_OUTDIR: cdktfDir },
        stdio: 'pipe',
      });
      const cdktf = JSON.parse(readFileSync(join(cdktfDir, stackDir, 'cdk.tf.json'), 'utf8'));
      expect(cdktfMain).toContain(`from 'cdktf'`);
      expect(jsonDifferences(cdktf, cdktn)).toEqual(STACK_DIFFERENCES);
    },
  );

  test('the example app and the Terraform module synthesised with cdktn equal the cdktf build, apart from the listed differences', () => {
    const expected = [
      ...MANIFEST_DIFFERENCES.map((d) => `app/manifest.json: ${d}`),
      ...EXAMPLE_STACKS.flatMap((stack) => STACK_DIFFERENCES.map((d) => `app/stacks/${stack}/cdk.tf.json: ${d}`)),
    ].sort();
    // The module (module/**) is byte-identical: it pins its own provider range and drops the CDK's metadata.
    expect(outputDifferences(cdktfOut, cdktnOut).sort()).toEqual(expected);
  });

  test(
    "the package's sources type-check against cdktn and @cdktn/provider-aws (cdktf imports mapped to them, no cdktf file in the " +
      'program)',
    () => {
      const config = join(scratch, 'tsconfig.cdktn-sources.json');
      writeRepositorySourcesTsconfig(config, join(project.dir, 'node_modules'), 'cdktn', '@cdktn/provider-aws');
      const program = execFileSync(
        process.execPath,
        [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--listFilesOnly'],
        {
          encoding: 'utf8',
        },
      ).split('\n');
      expect(program.some((file) => file.includes('/node_modules/cdktn/lib/'))).toBe(true);
      expect(program.some((file) => file.includes('/node_modules/@cdktn/provider-aws/lib/lambda-function/'))).toBe(true);
      expect(program.filter((file) => /\/node_modules\/(cdktf|@cdktf)\//.test(file))).toEqual([]);
      expect(() =>
        execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'pipe' }),
      ).not.toThrow();
    },
  );
});

const tfVersion = terraformVersion();
const describeWithTerraform = tfVersion ? describe : describe.skip;
if (!tfVersion) console.warn('terraform is not installed: skipping terraform validate of the cdktn output');

describeWithTerraform(
  `cdktn output with terraform ${tfVersion ?? '(not installed)'} and the offline aws ${OFFLINE_PROVIDER_VERSION}`,
  () => {
    test.each([...EXAMPLE_STACKS])('%s: validates once only the provider version constraint is changed', (stack) => {
      const out = join(scratch, 'validate', stack);
      mkdirSync(join(scratch, 'validate'), { recursive: true });
      cpSync(join(cdktnOut, 'app', 'stacks', stack), out, { recursive: true });
      const file = join(out, 'cdk.tf.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      expect(json.terraform.required_providers.aws.version).toBe(CDKTN_PROVIDER_VERSION);
      json.terraform.required_providers.aws.version = OFFLINE_PROVIDER_VERSION;
      writeFileSync(file, JSON.stringify(json));
      terraform(out, ['init', '-input=false', '-no-color', '-backend=false']);
      const validation = JSON.parse(terraform(out, ['validate', '-json', '-no-color']));
      expect({ valid: validation.valid, errors: validation.error_count, warnings: validation.warning_count }).toEqual({
        valid: true,
        errors: 0,
        warnings: 0,
      });
    });
  },
);
