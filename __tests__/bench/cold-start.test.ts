import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchColdStart, summarizeNode, type InitReport } from '../../bench/cold-start';
import { ensureHandlerZip } from '../../local/lambda/handler-bundle';
import { readZipEntry } from '../../local/lambda/zip-reader';

const repoRoot = join(__dirname, '..', '..');
const report = (initMs: number, initCpuMs: number, firstInvokeMs: number): InitReport => ({
  nodeVersion: 'v22.0.0',
  initMs,
  initCpuMs,
  firstInvokeMs,
  files: 1,
  bytes: 100,
});

describe('bench/cold-start', () => {
  it('summarises a node as medians per variant and medians of the per-round ratios', () => {
    const bundled = [report(100, 90, 50), report(60, 50, 40), report(200, 150, 100)];
    const unbundled = [report(250, 200, 50), report(200, 150, 100), report(400, 300, 100)];
    const node = summarizeNode(bundled, unbundled, bundled);
    expect(node.nodeVersion).toBe('v22.0.0');
    expect(node.bundled.initMs.median).toBe(100);
    expect(node.unbundled.initPlusFirstMs.median).toBe(300);
    // Round ratios 0.4, 0.3, 0.5 → 0.4 (the ratio of the medians would be 100 / 250 = 0.4 too, but from other rounds).
    expect(node.bundledToUnbundled.initMs).toBeCloseTo(0.4, 12);
    expect(node.bundledToUnbundled.initCpuMs).toBeCloseTo(0.45, 12);
    expect(node.bundledToUnbundled.initPlusFirstMs).toBeCloseTo(0.5, 12);
  });

  it('loads the shipped bundle from an ES-module entry (require and import()) and invokes it once against the local endpoint', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'cold-start-'));
    try {
      const bundle = join(scratch, 'index.js');
      writeFileSync(bundle, readZipEntry(ensureHandlerZip(), 'index.js'));
      const result = await benchColdStart({
        repoRoot,
        bundlePath: bundle,
        unbundledPath: bundle,
        scratchDir: scratch,
        runs: 1,
        nodePaths: [process.execPath],
        progress: () => undefined,
      });
      expect(result.runs).toBe(1);
      expect(result.nodes).toHaveLength(1);
      const [node] = result.nodes;
      expect(node.nodeVersion).toBe(process.version);
      expect(node.bundled.files).toBe(1);
      expect(node.bundled.initMs.median).toBeGreaterThan(0);
      expect(node.bundled.initPlusFirstMs.median).toBeGreaterThan(node.bundled.initMs.median);
      expect(node.bundledByImport.files).toBe(1);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
