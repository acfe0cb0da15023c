package io.vigil.scoring.app.problem;

import io.vigil.kit.problem.ProblemKind;

/**
 * The stable problem types of the scoring service ({@code urn:vigil:problem:<slug>}, {@link
 * ProblemKind}).
 */
public final class ProblemType {
  public static final ProblemKind INVALID_PATIENT =
      ProblemKind.of("invalid-patient", 400, "Invalid patient");
  public static final ProblemKind INVALID_TIME =
      ProblemKind.of("invalid-time", 400, "Invalid time range");
  public static final ProblemKind INVALID_REVISIONS =
      ProblemKind.of("invalid-revisions", 400, "Invalid revisions flag");
  public static final ProblemKind INVALID_REQUEST =
      ProblemKind.of("invalid-request", 400, "Invalid request");
  public static final ProblemKind UNAUTHORIZED =
      ProblemKind.of("unauthorized", 401, "Missing or invalid credential");
  public static final ProblemKind INSUFFICIENT_SCOPE =
      ProblemKind.of("insufficient-scope", 403, "API key lacks a required scope");
  public static final ProblemKind FORBIDDEN = ProblemKind.of("forbidden", 403, "Forbidden");
  public static final ProblemKind NOT_FOUND = ProblemKind.of("not-found", 404, "Not found");
  public static final ProblemKind METHOD_NOT_ALLOWED =
      ProblemKind.of("method-not-allowed", 405, "Method not allowed");
  public static final ProblemKind INTERNAL = ProblemKind.of("internal", 500, "Internal error");
  public static final ProblemKind UNAVAILABLE =
      ProblemKind.of("unavailable", 503, "Scores temporarily unavailable");

  private ProblemType() {}
}
