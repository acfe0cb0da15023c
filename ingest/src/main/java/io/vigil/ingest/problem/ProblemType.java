package io.vigil.ingest.problem;

import io.vigil.kit.problem.ProblemKind;

/**
 * The stable problem types of the ingest API ({@code urn:vigil:problem:<slug>}, {@link
 * ProblemKind}).
 */
public enum ProblemType implements ProblemKind {
  MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
  INVALID_REQUEST("invalid-request", 400, "Invalid request"),
  INVALID_ID("invalid-id", 400, "Identifier breaks the identifier rules"),
  UNAUTHORIZED("unauthorized", 401, "Missing or invalid API key"),
  INSUFFICIENT_SCOPE("insufficient-scope", 403, "API key lacks a required scope"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  BODY_TOO_LARGE("body-too-large", 413, "Request body too large"),
  BATCH_TOO_LARGE("batch-too-large", 413, "Too many readings in one batch"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported content type"),
  ALL_READINGS_REJECTED("all-readings-rejected", 422, "Every reading was rejected"),
  ALL_PATIENTS_REJECTED("all-patients-rejected", 422, "Every patient context was rejected"),
  INVALID_PATIENT_CONTEXT("invalid-patient-context", 422, "Invalid patient context"),
  INVALID_FHIR_RESOURCE("invalid-fhir-resource", 400, "Invalid FHIR resource"),
  RATE_LIMITED("rate-limited", 429, "Too many requests"),
  PATIENT_LIMIT("patient-limit", 429, "The tenant has reached its bound of patients"),
  INTERNAL("internal", 500, "Internal error"),
  KAFKA_UNAVAILABLE("kafka-unavailable", 503, "Kafka did not acknowledge the records");

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  @Override
  public String slug() {
    return slug;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String title() {
    return title;
  }
}
