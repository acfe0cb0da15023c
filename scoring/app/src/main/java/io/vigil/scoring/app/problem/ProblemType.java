package io.vigil.scoring.app.problem;

import io.vigil.kit.problem.ProblemKind;

/**
 * The stable problem types of the scoring service ({@code urn:vigil:problem:<slug>}, {@link
 * ProblemKind}).
 */
public enum ProblemType implements ProblemKind {
  INVALID_PATIENT("invalid-patient", 400, "Invalid patient"),
  INVALID_TIME("invalid-time", 400, "Invalid time range"),
  INVALID_REVISIONS("invalid-revisions", 400, "Invalid revisions flag"),
  INVALID_REQUEST("invalid-request", 400, "Invalid request"),
  UNAUTHORIZED("unauthorized", 401, "Missing or invalid credential"),
  INSUFFICIENT_SCOPE("insufficient-scope", 403, "API key lacks a required scope"),
  FORBIDDEN("forbidden", 403, "Forbidden"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  INTERNAL("internal", 500, "Internal error"),
  UNAVAILABLE("unavailable", 503, "Scores temporarily unavailable");

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
