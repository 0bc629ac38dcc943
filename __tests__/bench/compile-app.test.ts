import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBarrelVariant } from '../../bench/compile-app';

const repoRoot = join(__dirname, '..', '..');

describe('bench/compile-app: barrel variant', () => {
  let scratch: string;
  beforeEach(() => {
    // Inside the repository's git-ignored test folder, like the bench's own scratch space.
    mkdirSync(join(repoRoot, '.test-tmp'), { recursive: true });
    scratch = mkdtempSync(join(repoRoot, '.test-tmp', 'bench-compile-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('copies every .js file, rewriting only deep provider requires, and counts them', () => {
    const deep = join(scratch, 'deep');
    mkdirSync(join(deep, 'modules'), { recursive: true });
    const stack = 'const lambda_function_1 = require("@cdktf/provider-aws/lib/lambda-function");\nexports.x = lambda_function_1;\n';
    const plain = 'exports.y = require("./modules/stack");\n';
    writeFileSync(join(deep, 'modules', 'stack.js'), stack);
    writeFileSync(join(deep, 'main.js'), plain);
    writeFileSync(join(deep, 'main.js.map'), '{}');
    const barrel = join(scratch, 'barrel');
    expect(makeBarrelVariant(repoRoot, deep, barrel)).toEqual({ files: 2, rewritten: 1 });
    expect(readFileSync(join(barrel, 'modules', 'stack.js'), 'utf8')).toBe(
      'const lambda_function_1 = require("@cdktf/provider-aws").lambdaFunction;\nexports.x = lambda_function_1;\n',
    );
    expect(readFileSync(join(barrel, 'main.js'), 'utf8')).toBe(plain);
  });
});
