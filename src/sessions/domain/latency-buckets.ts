/**
 * A fixed log-scale histogram of model latencies: bucket b holds the calls that took more than
 * 2^((b-1)/2) ms and at most 2^(b/2) ms (bucket 0: at most 1 ms), so each bucket is √2 wide and a
 * percentile read from it is within 41% of the true one, from 1 ms to the last bucket's 4.6 hours.
 */
export const LATENCY_BUCKETS = 49;

export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.ceil(2 * Math.log2(ms)));
}

/** The longest latency bucket `b` holds, in ms. */
export function latencyBucketUpperMs(bucket: number): number {
  return 2 ** (bucket / 2);
}

/**
 * The smallest bucket bound at or under which `p` (0..1) of the calls fall: the percentile as the
 * histogram can tell it, never below the true one. `calls[b]` counts bucket b. Null: no calls.
 */
export function percentileMs(calls: readonly number[], p: number): number | null {
  const total = calls.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (let b = 0; b < calls.length; b++) {
    seen += calls[b];
    if (seen >= rank) return latencyBucketUpperMs(b);
  }
  return latencyBucketUpperMs(calls.length - 1);
}
