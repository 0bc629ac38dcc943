import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CDKTN_PACKAGE_NAME, PACKAGE_NAME } from '../../../modules/handler-bundle';
import { rewriteModuleSpecifiers } from '../../../scripts/cdktn-flavour';

const root = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first ```<lang> block after `heading` in the README. */
function blockAfter(heading: string, lang: string): string {
  const at = readme.indexOf(heading);
  expect(at).toBeGreaterThan(-1);
  const block = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme.slice(at));
  if (!block) throw new Error(`no ${lang} block after ${heading}`);
  return block[1];
}

/** The quick start as a CDK Terrain user writes it: the imports renamed, nothing else. */
function renamedQuickStart(): string {
  const cdktf = blockAfter('## Quick start', 'ts');
  expect(cdktf).toContain(`from '${PACKAGE_NAME}'`);
  return rewriteModuleSpecifiers(cdktf, 'README.md').text.replace(`'${PACKAGE_NAME}'`, `'${CDKTN_PACKAGE_NAME}'`);
}

describe('README: the CDK Terrain section', () => {
  it('examples/cdktn/main.ts (which the tests install and synthesise) is the quick start with the imports renamed', () => {
    expect(readFileSync(join(root, 'examples', 'cdktn', 'main.ts'), 'utf8')).toBe(renamedQuickStart());
  });

  it('shows exactly the lines that change, as a diff of the quick start', () => {
    const diff = blockAfter('### With CDK Terrain (cdktn)', 'diff').trimEnd().split('\n');
    const before = blockAfter('## Quick start', 'ts').split('\n');
    const after = renamedQuickStart().split('\n');
    const changed = before.flatMap((line, i) => (line === after[i] ? [] : [i]));
    expect(changed.length).toBeGreaterThan(0);
    expect(diff).toEqual([...changed.map((i) => `-${before[i]}`), ...changed.map((i) => `+${after[i]}`)]);
  });
});
