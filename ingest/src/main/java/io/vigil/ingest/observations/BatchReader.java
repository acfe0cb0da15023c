package io.vigil.ingest.observations;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.problem.Problem;
import io.vigil.ingest.problem.ProblemException;
import io.vigil.ingest.problem.ProblemType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads the JSON batch {@code {"readings": [{id, patientId, deviceId, code, value, unit, time},
 * ...]}} (a bare array is accepted too) into raw readings; readings whose fields are missing or of
 * the wrong type become rejections right away.
 */
public final class BatchReader {
  static final int MAX_ID_LENGTH = 128;

  private BatchReader() {}

  /** The readings array of a batch document, or a 400 explaining the expected shape. */
  public static JsonNode readingsOf(JsonNode document, int maxReadings) {
    JsonNode readings = document.isArray() ? document : document.get("readings");
    if (readings == null || !readings.isArray()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "expected an object {\"readings\": [...]} (or an array of readings)");
    }
    if (readings.size() > maxReadings) {
      throw new ProblemException(
          Problem.of(
                  ProblemType.BATCH_TOO_LARGE,
                  readings.size()
                      + " readings in one batch; at most "
                      + maxReadings
                      + " are accepted: split the batch")
              .with("limit", maxReadings)
              .with("received", readings.size()));
    }
    return readings;
  }

  /** One reading, or the rejection of a structurally broken one. */
  public static Read read(int index, JsonNode node) {
    if (!node.isObject()) {
      return Read.rejected(
          new Rejection(
              index, null, null, RejectionReason.INVALID_FIELD, "reading must be a JSON object"));
    }
    String id = text(node, "id");
    try {
      String idValue = required(node, "id");
      String patientId = required(node, "patientId");
      if (patientId.indexOf('/') >= 0) {
        throw new FieldProblem(
            "patientId", RejectionReason.INVALID_FIELD, "patientId must not contain '/'");
      }
      String code = required(node, "code");
      String unit = required(node, "unit");
      String deviceId = optional(node, "deviceId");
      JsonNode value = node.get("value");
      if (value == null || value.isNull()) {
        throw new FieldProblem("value", RejectionReason.MISSING_FIELD, "value is missing");
      }
      if (!value.isNumber()) {
        throw new FieldProblem(
            "value",
            RejectionReason.INVALID_FIELD,
            "value must be a JSON number, not "
                + value.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      Instant time = time(required(node, "time"));
      return new Read(
          new RawReading(
              index, idValue, patientId, deviceId, code, value.doubleValue(), unit, time),
          null);
    } catch (FieldProblem p) {
      return Read.rejected(new Rejection(index, id, p.field, p.reason, p.getMessage()));
    }
  }

  /** Parses an ISO-8601 date-time with offset (e.g. 2026-11-25T08:00:00Z or +01:00). */
  static Instant time(String text) {
    try {
      return Timestamps.parse(text);
    } catch (DateTimeParseException e) {
      throw new FieldProblem(
          "time",
          RejectionReason.INVALID_FIELD,
          "time '"
              + text
              + "' is not an ISO-8601 date-time with a UTC offset, e.g. 2026-11-25T08:00:00Z");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static String required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank())) {
      throw new FieldProblem(field, RejectionReason.MISSING_FIELD, field + " is missing");
    }
    return checked(field, value);
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : checked(field, value);
  }

  private static String checked(String field, JsonNode value) {
    if (!value.isTextual()) {
      throw new FieldProblem(field, RejectionReason.INVALID_FIELD, field + " must be a string");
    }
    String text = value.textValue();
    if (text.length() > MAX_ID_LENGTH) {
      throw new FieldProblem(
          field,
          RejectionReason.INVALID_FIELD,
          field + " is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new FieldProblem(
          field, RejectionReason.INVALID_FIELD, field + " contains control characters");
    }
    return text;
  }

  /** A reading's field problem, raised while reading and turned into a rejection. */
  static final class FieldProblem extends RuntimeException {
    final String field;
    final RejectionReason reason;

    FieldProblem(String field, RejectionReason reason, String message) {
      super(message, null, false, false);
      this.field = field;
      this.reason = reason;
    }
  }

  /** A structurally sound reading or the rejection of a broken one. */
  public record Read(RawReading reading, Rejection rejection) {
    static Read rejected(Rejection rejection) {
      return new Read(null, rejection);
    }
  }
}
