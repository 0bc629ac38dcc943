import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CDKTN_PACKAGE_NAME, PACKAGE_NAME } from '../../../modules/handler-bundle';
import { rewriteModuleSpecifiers } from '../../../scripts/cdktn-flavour';

const root = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first ```ts block after `heading` in the README. */
function tsBlockAfter(heading: string): string {
  const at = readme.indexOf(heading);
  expect(at).toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`no ts block after ${heading}`);
  return block[1];
}

describe('README: the CDK Terrain quick start', () => {
  const cdktn = tsBlockAfter('### With CDK Terrain (cdktn)');

  it('is examples/cdktn/main.ts, which the tests install and synthesise', () => {
    expect(cdktn).toBe(readFileSync(join(root, 'examples', 'cdktn', 'main.ts'), 'utf8'));
  });

  it('is the cdktf quick start with the imports renamed, nothing else', () => {
    const cdktf = tsBlockAfter('## Quick start');
    expect(cdktf).toContain(`from '${PACKAGE_NAME}'`);
    const renamed = rewriteModuleSpecifiers(cdktf, 'README.md').text.replace(`'${PACKAGE_NAME}'`, `'${CDKTN_PACKAGE_NAME}'`);
    expect(cdktn).toBe(renamed);
  });
});
