import { readFileSync } from 'node:fs';
import {
  DOCS_END_MARKER,
  DOCS_START_MARKER,
  DocsMarkersError,
  extractGeneratedBlock,
  STATE_MACHINES_DOC_PATH,
  renderExampleDocs,
  replaceGeneratedBlock,
} from '../../../examples/state-machines/generate-docs';
import { EXAMPLE_STATE_MACHINES } from '../../../examples/state-machines';

describe('generate-docs', () => {
  it('docs/state-machines.md holds exactly the generated example drawings (run generate-docs.ts when this fails)', () => {
    expect(extractGeneratedBlock(readFileSync(STATE_MACHINES_DOC_PATH, 'utf8'))).toBe(renderExampleDocs());
  });

  it('renders one subsection with a Mermaid flowchart per example', () => {
    const docs = renderExampleDocs();
    expect(docs.match(/^### Example: /gm)).toHaveLength(EXAMPLE_STATE_MACHINES.length);
    expect(docs.match(/^```mermaid\nflowchart TD\n/gm)).toHaveLength(EXAMPLE_STATE_MACHINES.length);
    for (const example of EXAMPLE_STATE_MACHINES) expect(docs).toContain(`### Example: ${example.title}\n`);
  });

  it('replaces only the text between the markers', () => {
    const readme = `# Title\n\n${DOCS_START_MARKER}\nold\n${DOCS_END_MARKER}\n\n## After\n`;
    const updated = replaceGeneratedBlock(readme, 'new\n');
    expect(updated).toBe(`# Title\n\n${DOCS_START_MARKER}\nnew\n${DOCS_END_MARKER}\n\n## After\n`);
    expect(extractGeneratedBlock(updated)).toBe('new\n');
    expect(replaceGeneratedBlock(updated, 'new\n')).toBe(updated);
  });

  it.each([
    ['no markers', '# Title\n'],
    ['an end marker only', `${DOCS_END_MARKER}\n`],
    ['markers in the wrong order', `${DOCS_END_MARKER}\n${DOCS_START_MARKER}\n`],
    ['a doubled marker', `${DOCS_START_MARKER}\n${DOCS_END_MARKER}\n${DOCS_START_MARKER}\n`],
  ])('refuses a README with %s', (_label, readme) => {
    expect(() => replaceGeneratedBlock(readme, 'x')).toThrow(DocsMarkersError);
  });
});
