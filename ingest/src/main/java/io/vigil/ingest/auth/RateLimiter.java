package io.vigil.ingest.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per source: {@code perSecond} requests sustained, {@code burst} at once. One noisy
 * platform cannot starve the others of the service's capacity.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
  }

  /** Empty when the request may go ahead, otherwise how long to wait before the next one. */
  public Duration acquire(String source, long nowNanos) {
    Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos));
    synchronized (bucket) {
      bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.at) / 1e9 * perSecond);
      bucket.at = nowNanos;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) ((1 - bucket.tokens) / perSecond * 1e9));
    }
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
