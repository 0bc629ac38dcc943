/** The launch bench on a small run: every execution ends, and the row it reports is well formed (figures are the bench's job). */
import { launchBench } from '../../bench/launch-bench';

jest.setTimeout(120_000);

it('launches and finishes every execution and reports launch, finish, throughput, peak and validation cost', async () => {
  const row = await launchBench(20);
  expect(row.executions).toBe('20');
  expect(row.failed).toBe('0');
  expect(row.launched).toMatch(/^\d+\.\d\d s$/);
  expect(row.finished).toMatch(/^\d+\.\d\d s$/);
  expect(Number.parseFloat(row.launched)).toBeLessThanOrEqual(Number.parseFloat(row.finished));
  expect(Number(row['peak active statements'])).toBeGreaterThanOrEqual(1);
  expect(Number(row['peak active statements'])).toBeLessThanOrEqual(20);
  expect(row['one validation (cached after)']).toMatch(/^\d+ ms$/);
});
