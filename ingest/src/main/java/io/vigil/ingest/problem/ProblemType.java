package io.vigil.ingest.problem;

import io.vigil.kit.problem.ProblemKind;

/**
 * The stable problem types of the ingest API ({@code urn:vigil:problem:<slug>}, {@link
 * ProblemKind}).
 */
public final class ProblemType {
  public static final ProblemKind MALFORMED_JSON =
      ProblemKind.of("malformed-json", 400, "Malformed JSON");
  public static final ProblemKind INVALID_REQUEST =
      ProblemKind.of("invalid-request", 400, "Invalid request");
  public static final ProblemKind INVALID_ID =
      ProblemKind.of("invalid-id", 400, "Identifier breaks the identifier rules");
  public static final ProblemKind UNAUTHORIZED =
      ProblemKind.of("unauthorized", 401, "Missing or invalid API key");
  public static final ProblemKind INSUFFICIENT_SCOPE =
      ProblemKind.of("insufficient-scope", 403, "API key lacks a required scope");
  public static final ProblemKind NOT_FOUND = ProblemKind.of("not-found", 404, "Not found");
  public static final ProblemKind METHOD_NOT_ALLOWED =
      ProblemKind.of("method-not-allowed", 405, "Method not allowed");
  public static final ProblemKind BODY_TOO_LARGE =
      ProblemKind.of("body-too-large", 413, "Request body too large");
  public static final ProblemKind BATCH_TOO_LARGE =
      ProblemKind.of("batch-too-large", 413, "Too many readings in one batch");
  public static final ProblemKind UNSUPPORTED_MEDIA_TYPE =
      ProblemKind.of("unsupported-media-type", 415, "Unsupported content type");
  public static final ProblemKind ALL_READINGS_REJECTED =
      ProblemKind.of("all-readings-rejected", 422, "Every reading was rejected");
  public static final ProblemKind ALL_PATIENTS_REJECTED =
      ProblemKind.of("all-patients-rejected", 422, "Every patient context was rejected");
  public static final ProblemKind INVALID_PATIENT_CONTEXT =
      ProblemKind.of("invalid-patient-context", 422, "Invalid patient context");
  public static final ProblemKind INVALID_FHIR_RESOURCE =
      ProblemKind.of("invalid-fhir-resource", 400, "Invalid FHIR resource");
  public static final ProblemKind RATE_LIMITED =
      ProblemKind.of("rate-limited", 429, "Too many requests");
  public static final ProblemKind PATIENT_LIMIT =
      ProblemKind.of("patient-limit", 429, "The tenant has reached its bound of patients");
  public static final ProblemKind INTERNAL = ProblemKind.of("internal", 500, "Internal error");
  public static final ProblemKind KAFKA_UNAVAILABLE =
      ProblemKind.of("kafka-unavailable", 503, "Kafka did not acknowledge the records");

  private ProblemType() {}
}
