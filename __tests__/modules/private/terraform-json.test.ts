/**
 * `terraformJson`: plain JSON text for plain values and string references; Terraform's `jsonencode`
 * for number and list references, checked both as synthesised text and as what Terraform makes of it
 * (an offline `terraform plan` of outputs, which needs no provider).
 */
import { App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdsNonStringReference, terraformJson } from '../../../modules/private/terraform-json';
import { AWS_USERID_VARIABLE } from '../../../modules/private/policy-document';
import { terraformVersion } from '../../support/terraform-cli';

function variables(stack: TerraformStack) {
  return {
    text: new TerraformVariable(stack, 'text', { type: 'string' }).stringValue,
    receives: new TerraformVariable(stack, 'receives', { type: 'number' }).numberValue,
    arns: new TerraformVariable(stack, 'arns', { type: 'list(string)' }).listValue,
  };
}

describe('holdsNonStringReference', () => {
  const stack = new TerraformStack(Testing.app(), 'refs');
  const { text, receives, arns } = variables(stack);

  test('is false for plain values and string references, true for number and list references at any depth', () => {
    expect(holdsNonStringReference({ a: 'x', b: [1, 2], c: { d: true, e: null } })).toBe(false);
    expect(holdsNonStringReference({ arn: `arn:${text}:x`, list: [text] })).toBe(false);
    expect(holdsNonStringReference({ deep: [{ n: receives }] })).toBe(true);
    expect(holdsNonStringReference({ deep: { Resource: arns } })).toBe(true);
    expect(holdsNonStringReference({ spread: [...arns] })).toBe(true);
  });
});

describe('terraformJson', () => {
  test('plain values and string references: JSON.stringify text, template escapes kept', () => {
    const stack = new TerraformStack(Testing.app(), 'plain');
    const { text } = variables(stack);
    const value = { Version: '2012-10-17', n: 15, who: AWS_USERID_VARIABLE, arn: `arn:${text}:x` };
    const rendered = terraformJson(value);
    expect(rendered).toBe(JSON.stringify(value));
    new TerraformOutput(stack, 'out', { value: rendered });
    expect(JSON.parse(Testing.synth(stack)).output.out.value).toBe(
      '{"Version":"2012-10-17","n":15,"who":"$${aws:userid}","arn":"arn:${var.text}:x"}',
    );
  });

  test('number and list references: a jsonencode expression referring to the variables', () => {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const { receives, arns } = variables(stack);
    new TerraformOutput(stack, 'out', { value: terraformJson({ n: receives, who: AWS_USERID_VARIABLE, Resource: [...arns] }) });
    expect(JSON.parse(Testing.synth(stack)).output.out.value).toBe(
      '${jsonencode({"n" = var.receives, "who" = "$${aws:userid}", "Resource" = var.arns})}',
    );
  });

  const describeIfTerraform = terraformVersion() === undefined ? describe.skip : describe;
  describeIfTerraform('what Terraform makes of it (offline plan)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'terraform-json-'));
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    test('both paths give the same JSON, with the IAM variable ${aws:userid} intact', () => {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'json');
      const { text, receives, arns } = variables(stack);
      const doc = (n: number | string, list: string[]) => ({ n, who: AWS_USERID_VARIABLE, arn: `arn:${text}:x`, Resource: list });
      new TerraformOutput(stack, 'plain', { value: terraformJson(doc(6, ['a', 'b'])) });
      new TerraformOutput(stack, 'encoded', { value: terraformJson(doc(receives, arns)) });
      app.synth();

      const dir = join(outdir, 'stacks', 'json');
      const run = (args: string[]) =>
        execFileSync('terraform', args, {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
        });
      run(['init', '-input=false', '-no-color']);
      run(['plan', '-input=false', '-no-color', '-out=tfplan', '-var=text=aws', '-var=receives=6', '-var=arns=["a","b"]']);
      const plan = JSON.parse(run(['show', '-json', 'tfplan'])) as { planned_values: { outputs: Record<string, { value: string }> } };
      const expected = { n: 6, who: '${aws:userid}', arn: 'arn:aws:x', Resource: ['a', 'b'] };
      expect(JSON.parse(plan.planned_values.outputs.plain.value)).toEqual(expected);
      expect(JSON.parse(plan.planned_values.outputs.encoded.value)).toEqual(expected);
      expect(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')).toContain('jsonencode(');
    });
  });
});
