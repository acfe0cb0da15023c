package io.vigil.ingest.observations;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.ingest.http.JsonBodies;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.Identifiers;
import io.vigil.schemas.Identifiers.Kind;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the JSON batch {@code {"readings": [{id, patientId, deviceId, code, value, unit, time},
 * ...]}} (a bare array is accepted too) into raw readings; readings whose fields are missing or of
 * the wrong type become rejections right away.
 *
 * <p>The body is read as a token stream, without building a tree: per reading this is the largest
 * cost of the HTTP path after Kafka itself.
 */
public final class BatchReader {
  static final int MAX_TEXT_LENGTH = 128;
  private static final String[] TEXT_FIELDS = {
    "id", "patientId", "deviceId", "code", "unit", "time"
  };

  private BatchReader() {}

  /**
   * Every reading of the batch in {@code body}.
   *
   * @throws ProblemException 400 for malformed JSON (with line and column) or a wrong document
   *     shape, 413 for more than {@code maxReadings} readings
   */
  public static List<Read> readAll(byte[] body, int maxReadings) {
    return JsonBodies.stream(
        body,
        parser -> {
          JsonToken first = parser.nextToken();
          List<Read> reads = null;
          if (first == JsonToken.START_ARRAY) {
            reads = readArray(parser, maxReadings);
          } else if (first == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String name = parser.currentName();
              JsonToken value = parser.nextToken();
              if ("readings".equals(name) && value == JsonToken.START_ARRAY) {
                reads = readArray(parser, maxReadings);
              } else {
                parser.skipChildren();
              }
            }
          }
          if (reads == null) {
            throw new ProblemException(
                ProblemType.INVALID_REQUEST,
                "expected an object {\"readings\": [...]} (or an array of readings)");
          }
          return reads;
        });
  }

  private static List<Read> readArray(JsonParser parser, int maxReadings) throws IOException {
    List<Read> reads = new ArrayList<>();
    int index = 0;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      if (index >= maxReadings) {
        parser.skipChildren();
        index++;
        continue;
      }
      if (t == JsonToken.START_OBJECT) {
        reads.add(readReading(parser, index));
      } else {
        parser.skipChildren();
        reads.add(
            Read.rejected(
                new Rejection(
                    index,
                    null,
                    null,
                    RejectionReason.INVALID_FIELD,
                    "reading must be a JSON object")));
      }
      index++;
    }
    if (index > maxReadings) {
      throw new ProblemException(
          Problem.of(
                  ProblemType.BATCH_TOO_LARGE,
                  index
                      + " readings in one batch; at most "
                      + maxReadings
                      + " are accepted: split the batch")
              .with("limit", maxReadings)
              .with("received", index));
    }
    return reads;
  }

  /** Reads one reading object (the parser is on its START_OBJECT) and checks field types. */
  private static Read readReading(JsonParser parser, int index) throws IOException {
    Fields f = new Fields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      if ("value".equals(name)) {
        f.valuePresent = token != JsonToken.VALUE_NULL;
        f.valueType = null;
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          f.value = parser.getDoubleValue();
        } else if (token != JsonToken.VALUE_NULL) {
          f.valueType = typeName(token);
        }
      } else {
        int slot = slot(name);
        if (slot >= 0) {
          f.present[slot] = token != JsonToken.VALUE_NULL;
          f.texts[slot] = token == JsonToken.VALUE_STRING ? parser.getText() : null;
          f.wrongType[slot] = token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL;
        }
      }
      parser.skipChildren();
    }
    return f.toRead(index);
  }

  private static int slot(String name) {
    for (int i = 0; i < TEXT_FIELDS.length; i++) {
      if (TEXT_FIELDS[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String typeName(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "string";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      default -> token.name().toLowerCase(Locale.ROOT);
    };
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

  /** The fields of one reading as read from the stream, before their checks. */
  private static final class Fields {
    final String[] texts = new String[TEXT_FIELDS.length];
    final boolean[] present = new boolean[TEXT_FIELDS.length];
    final boolean[] wrongType = new boolean[TEXT_FIELDS.length];
    boolean valuePresent;
    String valueType;
    double value;

    Read toRead(int index) {
      String id = wrongType[0] ? null : texts[0];
      try {
        String idValue = identifier(0, Kind.READING_ID, required(0));
        String patientId = identifier(1, Kind.PATIENT_ID, required(1));
        String code = text(3, required(3));
        String unit = text(4, required(4));
        String device = present[2] ? checkedType(2) : null;
        String deviceId =
            device == null || device.isEmpty() ? null : identifier(2, Kind.DEVICE_ID, device);
        if (!valuePresent) {
          throw new FieldProblem("value", RejectionReason.MISSING_FIELD, "value is missing");
        }
        if (valueType != null) {
          throw new FieldProblem(
              "value",
              RejectionReason.INVALID_FIELD,
              "value must be a JSON number, not " + valueType);
        }
        Instant time = time(text(5, required(5)));
        return new Read(
            new RawReading(index, idValue, patientId, deviceId, code, value, unit, time), null);
      } catch (FieldProblem p) {
        return Read.rejected(new Rejection(index, id, p.field, p.reason, p.getMessage()));
      }
    }

    private String required(int slot) {
      String field = TEXT_FIELDS[slot];
      if (!present[slot] || (!wrongType[slot] && texts[slot].isBlank())) {
        throw new FieldProblem(field, RejectionReason.MISSING_FIELD, field + " is missing");
      }
      return checkedType(slot);
    }

    private String checkedType(int slot) {
      String field = TEXT_FIELDS[slot];
      if (wrongType[slot]) {
        throw new FieldProblem(field, RejectionReason.INVALID_FIELD, field + " must be a string");
      }
      return texts[slot];
    }

    /** The identifier in {@code slot} when it follows the rules for {@code kind}. */
    private String identifier(int slot, Kind kind, String text) {
      String problem = Identifiers.problem(kind, text, TEXT_FIELDS[slot]);
      if (problem != null) {
        throw new FieldProblem(TEXT_FIELDS[slot], RejectionReason.INVALID_ID, problem);
      }
      return text;
    }

    /** A text field other than an identifier (code, unit, time): bounded, no control codes. */
    private String text(int slot, String text) {
      String field = TEXT_FIELDS[slot];
      if (text.length() > MAX_TEXT_LENGTH) {
        throw new FieldProblem(
            field,
            RejectionReason.INVALID_FIELD,
            field + " is longer than " + MAX_TEXT_LENGTH + " characters");
      }
      for (int i = 0; i < text.length(); i++) {
        if (Character.isISOControl(text.charAt(i))) {
          throw new FieldProblem(
              field, RejectionReason.INVALID_FIELD, field + " contains control characters");
        }
      }
      return text;
    }
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
