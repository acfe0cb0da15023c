package io.vigil.scoring.app.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7807 problem: its type, a human-readable detail, extension members and, for 503, the
 * seconds a client should wait before retrying (0 for none).
 */
public record Problem(
    ProblemType type, String detail, Map<String, Object> extensions, int retryAfterSeconds) {

  public Problem {
    extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
  }

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type, detail, Map.of(), 0);
  }

  public Problem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Problem(type, detail, more, retryAfterSeconds);
  }

  public Problem retryAfter(int seconds) {
    return new Problem(type, detail, extensions, seconds);
  }
}
