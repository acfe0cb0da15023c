package io.vigil.alerts.api;

import io.vigil.kit.problem.ProblemCatalog;
import io.vigil.kit.problem.ProblemKind;
import jakarta.inject.Singleton;

/** The alerts API's types for the errors the framework raises itself. */
@Singleton
public final class AlertsProblems implements ProblemCatalog {
  private static final ProblemKind INVALID_REQUEST =
      ProblemKind.of("invalid-request", 400, "Invalid request");
  private static final ProblemKind UNAUTHORIZED =
      ProblemKind.of("unauthorized", 401, "Sign-in required");
  private static final ProblemKind FORBIDDEN = ProblemKind.of("forbidden", 403, "Forbidden");
  private static final ProblemKind NOT_FOUND = ProblemKind.of("not-found", 404, "Not found");
  private static final ProblemKind METHOD_NOT_ALLOWED =
      ProblemKind.of("method-not-allowed", 405, "Method not allowed");
  private static final ProblemKind BODY_TOO_LARGE =
      ProblemKind.of("body-too-large", 413, "Request body too large");
  private static final ProblemKind UNSUPPORTED_MEDIA_TYPE =
      ProblemKind.of("unsupported-media-type", 415, "Unsupported content type");
  private static final ProblemKind INTERNAL = ProblemKind.of("internal", 500, "Internal error");

  @Override
  public ProblemKind framework(int status) {
    return switch (status) {
      case 400 -> INVALID_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> BODY_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      default -> INTERNAL;
    };
  }
}
