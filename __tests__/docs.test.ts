/**
 * The front door and the docs/ pages: the README stays a five-minute read, and every relative link in the
 * Markdown we ship or keep in the repository points at a file that exists (and, with `#anchor`, a heading there).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

function headingsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = !inCode && /^#{1,6} (.*)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]));
  }
  return anchors;
}

function linksOf(text: string): string[] {
  const links: string[] = [];
  let inCode = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    if (inCode) continue;
    for (const match of line.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) links.push(match[1]);
  }
  return links;
}

describe('README and docs/', () => {
  it('the README is under 12 KB (the rest lives in docs/)', () => {
    expect(Buffer.byteLength(readFileSync(join(ROOT, 'README.md'), 'utf8'))).toBeLessThan(12_000);
  });

  it('the README names the synth and the test command', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm run synth');
    expect(readme).toContain('npm test');
  });

  it.each(PAGES)('%s: every relative link resolves to a file and heading', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const broken: string[] = [];
    for (const link of linksOf(text)) {
      if (/^(https?|mailto):/.test(link)) continue;
      const [path, anchor] = link.split('#');
      const target = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), path);
      if (!existsSync(target)) {
        broken.push(`${link} (no ${relative(ROOT, target)})`);
        continue;
      }
      if (anchor && target.endsWith('.md') && !headingsOf(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${link} (no heading)`);
    }
    expect(broken).toEqual([]);
  });
});
