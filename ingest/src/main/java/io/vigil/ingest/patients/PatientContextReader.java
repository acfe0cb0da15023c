package io.vigil.ingest.patients;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.patients.Sex;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a patient context document. Every problem found is reported at once, per
 * field, so a platform fixes its payload in one round.
 */
public final class PatientContextReader {
  static final int MAX_AGE_YEARS = 130;
  private static final Set<String> FIELDS =
      Set.of(
          "careTeams",
          "age",
          "sex",
          "oxygenTherapy",
          "spo2Scale2",
          "consciousness",
          "consciousnessTime",
          "monitoringStart");

  private PatientContextReader() {}

  /**
   * The context in {@code doc}, valid as a whole.
   *
   * @throws ProblemException 400 when {@code doc} is not an object, 422 {@code
   *     invalid-patient-context} with every invalid field
   */
  public static PatientContext read(JsonNode doc, Instant now, Duration maxFuture) {
    if (!doc.isObject()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "patient context must be a JSON object");
    }
    Checked checked = check(doc, now, maxFuture);
    if (!checked.valid()) {
      Map<String, String> errors = checked.errors();
      throw new ProblemException(
          Problem.of(
                  ProblemType.INVALID_PATIENT_CONTEXT,
                  errors.size() + " invalid field(s): " + String.join(", ", errors.keySet()))
              .with("errors", errors));
    }
    return checked.context();
  }

  /**
   * The context in {@code doc} (an object), or every invalid field with its reason: the one rule
   * set of the single, bulk and FHIR paths.
   */
  public static Checked check(JsonNode doc, Instant now, Duration maxFuture) {
    Map<String, String> errors = new LinkedHashMap<>();
    doc.fieldNames()
        .forEachRemaining(
            f -> {
              if (!FIELDS.contains(f)) {
                errors.put(
                    f, "unknown field; expected one of " + FIELDS.stream().sorted().toList());
              }
            });
    List<String> careTeams = new ArrayList<>();
    JsonNode teams = doc.get("careTeams");
    if (teams == null || !teams.isArray() || teams.isEmpty()) {
      errors.put("careTeams", "at least one care team is required (alerts are routed to it)");
    } else {
      for (JsonNode team : teams) {
        if (!team.isTextual() || team.textValue().isBlank() || team.textValue().length() > 64) {
          errors.put("careTeams", "care teams must be non-blank strings of at most 64 characters");
        } else if (!careTeams.contains(team.textValue())) {
          careTeams.add(team.textValue());
        }
      }
    }
    Integer age = null;
    JsonNode ageNode = doc.get("age");
    if (ageNode != null && !ageNode.isNull()) {
      if (!ageNode.isIntegralNumber() || ageNode.asInt() < 0 || ageNode.asInt() > MAX_AGE_YEARS) {
        errors.put("age", "age must be a whole number of years from 0 to " + MAX_AGE_YEARS);
      } else {
        age = ageNode.asInt();
      }
    }
    Sex sex = enumValue(doc, "sex", Sex.class, errors);
    boolean oxygen = bool(doc, "oxygenTherapy", errors);
    boolean scale2 = bool(doc, "spo2Scale2", errors);
    Consciousness consciousness = enumValue(doc, "consciousness", Consciousness.class, errors);
    Instant consciousnessTime = time(doc, "consciousnessTime", now, maxFuture, errors);
    if (consciousness != null
        && consciousnessTime == null
        && !errors.containsKey("consciousnessTime")) {
      errors.put("consciousnessTime", "required with consciousness: when was it assessed?");
    }
    if (consciousness == null
        && consciousnessTime != null
        && !errors.containsKey("consciousness")) {
      errors.put("consciousness", "consciousnessTime was given without a consciousness level");
    }
    Instant monitoringStart = time(doc, "monitoringStart", now, maxFuture, errors);
    if (!errors.isEmpty()) {
      return new Checked(null, errors);
    }
    return new Checked(
        PatientContext.newBuilder()
            .setCareTeams(List.copyOf(careTeams))
            .setAge(age)
            .setSex(sex)
            .setOxygenTherapy(oxygen)
            .setSpo2Scale2(scale2)
            .setConsciousness(consciousness)
            .setConsciousnessTime(consciousnessTime)
            .setMonitoringStart(monitoringStart)
            .setUpdatedAt(now)
            .build(),
        Map.of());
  }

  /**
   * A valid context, or the invalid fields (name to reason, in document order).
   *
   * @param context the context; null when a field is invalid
   * @param errors each invalid field and why
   */
  public record Checked(PatientContext context, Map<String, String> errors) {
    public boolean valid() {
      return context != null;
    }
  }

  private static boolean bool(JsonNode doc, String field, Map<String, String> errors) {
    JsonNode node = doc.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      errors.put(field, field + " must be true or false");
      return false;
    }
    return node.booleanValue();
  }

  private static <E extends Enum<E>> E enumValue(
      JsonNode doc, String field, Class<E> type, Map<String, String> errors) {
    JsonNode node = doc.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    List<String> allowed =
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    if (node.isTextual()) {
      String wanted = node.textValue().trim().toUpperCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(wanted)) {
          return constant;
        }
      }
    }
    errors.put(field, field + " must be one of " + allowed);
    return null;
  }

  private static Instant time(
      JsonNode doc, String field, Instant now, Duration maxFuture, Map<String, String> errors) {
    JsonNode node = doc.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(node.asText()).toInstant();
      if (t.isAfter(now.plus(maxFuture))) {
        errors.put(field, field + " " + t + " is in the future");
        return null;
      }
      return t;
    } catch (DateTimeParseException e) {
      errors.put(
          field, field + " must be an ISO-8601 date-time with offset, e.g. 2026-11-25T08:00:00Z");
      return null;
    }
  }
}
