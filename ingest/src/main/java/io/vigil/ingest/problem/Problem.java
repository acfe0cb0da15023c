package io.vigil.ingest.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7807 problem: its type, a human-readable detail, extension members (e.g. {@code line},
 * {@code column}, {@code rejected}) and, for 429 and 503, how long the client should wait.
 */
public record Problem(
    ProblemType type, String detail, Map<String, Object> extensions, Duration retryAfter) {

  public Problem {
    extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
  }

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type, detail, Map.of(), null);
  }

  public Problem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Problem(type, detail, more, retryAfter);
  }

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
