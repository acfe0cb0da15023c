package io.vigil.kit.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7807 problem: its type, a human-readable detail, extension members (e.g. {@code line},
 * {@code rejected}) and, for 429 and 503, how long the client should wait (null for no {@code
 * Retry-After}).
 */
public record Problem(
    ProblemKind type, String detail, Map<String, Object> extensions, Duration retryAfter) {

  public Problem {
    extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
  }

  public static Problem of(ProblemKind type, String detail) {
    return new Problem(type, detail, Map.of(), null);
  }

  /** This problem with one more extension member. */
  public Problem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Problem(type, detail, more, retryAfter);
  }

  /** This problem telling the client to wait {@code wait} before trying again. */
  public Problem retryAfter(Duration wait) {
    return new Problem(type, detail, extensions, wait);
  }

  public int status() {
    return type.status();
  }

  /** Seconds for the Retry-After header, rounded up, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
