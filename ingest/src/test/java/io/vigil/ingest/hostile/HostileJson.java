package io.vigil.ingest.hostile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of JSON text for the ingest properties: valid readings, and hostile values of every
 * kind a platform (or an attacker with a key) can send. Text, not trees, so that NaN tokens,
 * repeated ids, truncation and deep nesting can be written as they would arrive.
 */
final class HostileJson {
  /** Vital name, canonical unit, and a range well inside its plausible range. */
  private static final List<Object[]> VITALS =
      List.of(
          new Object[] {"heart_rate", "/min", 50, 120},
          new Object[] {"respiratory_rate", "/min", 10, 25},
          new Object[] {"oxygen_saturation", "%", 88, 100},
          new Object[] {"body_temperature", "Cel", 35, 39},
          new Object[] {"systolic_bp", "mm[Hg]", 90, 160},
          new Object[] {"diastolic_bp", "mm[Hg]", 50, 95},
          new Object[] {"mean_bp", "mm[Hg]", 65, 110});

  private HostileJson() {}

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** A reading's fields as JSON text, in order. */
  record Reading(String id, String patientId, String code, String value, String unit, String time) {
    String json() {
      return json("");
    }

    /** The reading without the member {@code omit}. */
    String without(String omit) {
      return json(omit);
    }

    private String json(String omit) {
      StringBuilder b = new StringBuilder("{\"deviceId\":\"watch-1\"");
      String[] names = {"id", "patientId", "code", "value", "unit", "time"};
      String[] values = {id, patientId, code, value, unit, time};
      for (int i = 0; i < names.length; i++) {
        if (!names[i].equals(omit)) {
          b.append(",\"").append(names[i]).append("\":").append(values[i]);
        }
      }
      return b.append('}').toString();
    }

    Reading with(String field, String json) {
      return new Reading(
          field.equals("id") ? json : id,
          field.equals("patientId") ? json : patientId,
          field.equals("code") ? json : code,
          field.equals("value") ? json : value,
          field.equals("unit") ? json : unit,
          field.equals("time") ? json : time);
    }
  }

  /**
   * A valid reading of one of {@code patients}, its id {@code idPrefix} and 12 random characters,
   * measured in the last ten hours.
   */
  static Arbitrary<Reading> good(List<String> patients, Instant now, String idPrefix) {
    return Combinators.combine(
            Arbitraries.of(patients),
            Arbitraries.of(VITALS),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.integers().between(0, 600),
            Arbitraries.strings().alpha().numeric().ofLength(12))
        .as(
            (patient, vital, fraction, minutesAgo, id) -> {
              int low = (Integer) vital[2];
              int high = (Integer) vital[3];
              double value = low + fraction * (high - low);
              return new Reading(
                  quote(idPrefix + id),
                  quote(patient),
                  quote((String) vital[0]),
                  Double.toString(value),
                  quote((String) vital[1]),
                  quote(now.minus(Duration.ofMinutes(minutesAgo)).toString()));
            });
  }

  /** Text no identifier rule allows: odd unicode, controls, spaces, over-long. */
  static Arbitrary<String> badIdentifier() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "pätient",
            "p\u200bzero-width",
            "\u202Eright-to-left",
            "emoji-\uD83D\uDE00",
            "with space",
            "nul\u0000byte",
            "tab\tbed",
            "line\nbreak",
            "\uFEFFbom",
            ""),
        Arbitraries.strings().alpha().ofMinLength(129).ofMaxLength(5000));
  }

  /** A JSON value of the wrong type for a text field. */
  static Arbitrary<String> wrongType() {
    return Arbitraries.of("42", "-1.5e3", "true", "false", "{}", "{\"a\":1}", "[]", "[\"x\"]");
  }

  /** Numbers no vital can have: non-finite, overflowing, or far outside any plausible range. */
  static Arbitrary<String> badNumber() {
    return Arbitraries.of(
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "-1e999",
        "1e308",
        "-1e308",
        "123456789012345678901234567890",
        "-0.0000000001",
        "1e-400",
        "99999999");
  }

  /** Nested arrays {@code depth} deep. */
  static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  /** A reading broken in one way; each must be rejected on its own with a reason. */
  static Arbitrary<String> hostile(Arbitrary<Reading> good, Instant now) {
    return Arbitraries.oneOf(
        Combinators.combine(
                good, Arbitraries.of("id", "patientId", "code", "value", "unit", "time"))
            .as(Reading::without),
        Combinators.combine(
                good, Arbitraries.of("id", "patientId", "code", "unit", "time"), wrongType())
            .as((r, field, value) -> r.with(field, value).json()),
        Combinators.combine(good, Arbitraries.of("value"), Arbitraries.of("\"80\"", "null", "{}"))
            .as((r, field, value) -> r.with(field, value).json()),
        Combinators.combine(good, Arbitraries.of("id", "patientId"), badIdentifier())
            .as((r, field, value) -> r.with(field, quote(value)).json()),
        Combinators.combine(good, badNumber()).as((r, value) -> r.with("value", value).json()),
        Combinators.combine(
                good,
                Arbitraries.of("code", "unit", "time"),
                Arbitraries.oneOf(
                    Arbitraries.strings().ofMinLength(129).ofMaxLength(3000),
                    Arbitraries.of("mmHg", "bpm", "8867-4\u0007", "\u0000", "", " ")))
            .as((r, field, value) -> r.with(field, quote(value)).json()),
        Combinators.combine(good, Arbitraries.integers().between(20, 400))
            .as((r, depth) -> r.with("value", nested(depth)).json()),
        Combinators.combine(
                good,
                Arbitraries.of(
                    "2026-11-25T08:00:00",
                    "yesterday",
                    "2026-13-45T99:99:99Z",
                    "+999999999-12-31T23:59:59Z",
                    "1970-01-01T00:00:00Z",
                    now.plus(Duration.ofDays(2)).toString()))
            .as((r, time) -> r.with("time", quote(time)).json()),
        Arbitraries.of("1", "\"reading\"", "null", "[]", "true"));
  }
}
