import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BarrelRewriteError, barrelNamespaces, rewriteToBarrel } from '../../bench/barrel-imports';

const providerIndex = readFileSync(join(__dirname, '..', '..', 'node_modules', '@cdktf', 'provider-aws', 'lib', 'index.js'), 'utf8');

describe('bench/barrel-imports', () => {
  it('reads folder → namespace from a barrel index', () => {
    const index = [
      'exports.lambdaFunction = require("./lambda-function");',
      "exports.provider = require('./provider');",
      'exports.dataAwsRegion = require("./data-aws-region");',
      'exports.notAModule = 3;',
    ].join('\n');
    expect([...barrelNamespaces(index)]).toEqual([
      ['lambda-function', 'lambdaFunction'],
      ['provider', 'provider'],
      ['data-aws-region', 'dataAwsRegion'],
    ]);
  });

  it('the installed @cdktf/provider-aws barrel exports the namespaces the example app needs', () => {
    const namespaces = barrelNamespaces(providerIndex);
    expect(namespaces.size).toBeGreaterThan(1000);
    expect(namespaces.get('lambda-function')).toBe('lambdaFunction');
    expect(namespaces.get('sfn-state-machine')).toBe('sfnStateMachine');
    expect(namespaces.get('provider')).toBe('provider');
    expect(namespaces.get('data-aws-partition')).toBe('dataAwsPartition');
  });

  it('rewrites deep requires (both quote styles, optional /index) and leaves everything else', () => {
    const namespaces = new Map([
      ['lambda-function', 'lambdaFunction'],
      ['iam-role', 'iamRole'],
    ]);
    const source = [
      'const lambda_function_1 = require("@cdktf/provider-aws/lib/lambda-function");',
      "var import_iam_role = require('@cdktf/provider-aws/lib/iam-role/index.js');",
      'const cdktf_1 = require("cdktf");',
      'new lambda_function_1.LambdaFunction(this, "f", {});',
    ].join('\n');
    const { code, rewritten } = rewriteToBarrel(source, namespaces);
    expect(rewritten).toBe(2);
    expect(code).toBe(
      [
        'const lambda_function_1 = require("@cdktf/provider-aws").lambdaFunction;',
        "var import_iam_role = require('@cdktf/provider-aws').iamRole;",
        'const cdktf_1 = require("cdktf");',
        'new lambda_function_1.LambdaFunction(this, "f", {});',
      ].join('\n'),
    );
  });

  it('leaves a file without provider imports byte for byte', () => {
    const source = 'const x = require("./local");\nmodule.exports = x;\n';
    expect(rewriteToBarrel(source, new Map())).toEqual({ code: source, rewritten: 0 });
  });

  it('refuses a deep import the barrel does not export', () => {
    expect(() => rewriteToBarrel('require("@cdktf/provider-aws/lib/no-such-resource")', new Map())).toThrow(BarrelRewriteError);
  });
});
