import { median, NoSamplesError, percentile, ratio, significant, summarize } from '../../bench/stats';

describe('bench/stats', () => {
  it('median of an odd count is the middle value, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3])).toBe(3);
  });

  it('median of an even count is the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });

  it('median does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('percentile by nearest rank returns a measured value', () => {
    const samples = [15, 20, 35, 40, 50];
    expect(percentile(samples, 0)).toBe(15);
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
    expect(() => percentile(samples, 101)).toThrow(RangeError);
  });

  it('ratio is alternative ÷ ours, undefined when ours is zero', () => {
    expect(ratio(12, 3)).toBe(4);
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(5, 0)).toBeUndefined();
  });

  it('significant keeps the magnitude', () => {
    expect(significant(123456, 3)).toBe(123000);
    expect(significant(0.00012345, 2)).toBe(0.00012);
    expect(significant(0)).toBe(0);
  });

  it('summarize keeps the samples and their median, min and max', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, samples: [5, 1, 3] });
  });

  it('refuses empty samples with a named error', () => {
    expect(() => median([])).toThrow(NoSamplesError);
    expect(() => percentile([], 50)).toThrow(NoSamplesError);
    expect(() => summarize([])).toThrow('summarize: no samples');
  });
});
