import { latencyBucket, latencyBucketUpperMs, percentileMs } from './latency-buckets';

describe('latency buckets', () => {
  it('should put a latency in the √2-wide bucket whose upper bound holds it', () => {
    expect([0, 1, 1.4, 2, 100, 128, 129, 1000, 1024].map(latencyBucket)).toEqual([0, 0, 1, 2, 14, 14, 15, 20, 20]);
    for (const ms of [3, 77, 999, 12_345]) {
      const b = latencyBucket(ms);
      expect(latencyBucketUpperMs(b)).toBeGreaterThanOrEqual(ms);
      expect(latencyBucketUpperMs(b - 1)).toBeLessThan(ms);
    }
    expect(latencyBucket(1e12)).toBe(48);
  });

  it('should read a percentile as the bound of the bucket where it falls, null without calls', () => {
    const calls = new Array<number>(49).fill(0);
    expect(percentileMs(calls, 0.95)).toBeNull();
    calls[14] = 19;
    calls[20] = 1;
    expect(percentileMs(calls, 0.95)).toBe(128);
    calls[20] = 2;
    expect(percentileMs(calls, 0.95)).toBe(1024);
  });
});
