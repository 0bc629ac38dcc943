import { failsOnPurpose, faultsFor, faultyRoute, ISSUE_25_FAULTS } from '../../bench/load-faults';
import type { StatusChangeEvent } from '../../local/redshift-data';

const event = (n: number) => ({ detail: { statementId: `s${n}` } }) as unknown as StatusChangeEvent;

it('drops every 20th status event and publishes every other 10th three times; every event counts as an end', () => {
  const published: string[] = [];
  const seen: string[] = [];
  const route = faultyRoute(ISSUE_25_FAULTS, (e) => seen.push(e.detail.statementId));
  for (let n = 1; n <= 40; n++) route(event(n), (e) => published.push((e as StatusChangeEvent).detail.statementId) > 0);
  expect(seen).toHaveLength(40);
  expect(published.filter((id) => id === 's10')).toHaveLength(3);
  expect(published.filter((id) => id === 's30')).toHaveLength(3);
  expect(published).not.toContain('s20');
  expect(published).not.toContain('s40');
  expect(published).toHaveLength(40 - 2 + 2 * 2);
});

it('fails every 25th execution', () => {
  expect(Array.from({ length: 100 }, (_, i) => i).filter((i) => failsOnPurpose(ISSUE_25_FAULTS, i))).toEqual([24, 49, 74, 99]);
});

it('scales the counted faults to the load, at least one each; rates and the outage stay', () => {
  expect(faultsFor(500)).toEqual(ISSUE_25_FAULTS);
  const small = faultsFor(50);
  expect(small.throttles).toBe(5);
  expect(small.successBursts.map((b) => b.calls)).toEqual([4, 4, 4, 4]);
  expect(faultsFor(1).throttles).toBe(1);
  expect([small.outage, small.dropEvery, small.tripleEvery, small.failEvery]).toEqual([ISSUE_25_FAULTS.outage, 20, 10, 25]);
});
