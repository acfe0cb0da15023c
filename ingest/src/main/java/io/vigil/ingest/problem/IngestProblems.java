package io.vigil.ingest.problem;

import io.vigil.kit.problem.ProblemCatalog;
import io.vigil.kit.problem.ProblemKind;
import jakarta.inject.Singleton;

/** Ingest's types for the errors the framework raises itself. */
@Singleton
public final class IngestProblems implements ProblemCatalog {
  @Override
  public ProblemKind framework(int status) {
    return switch (status) {
      case 400 -> ProblemType.INVALID_REQUEST;
      case 401 -> ProblemType.UNAUTHORIZED;
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      case 413 -> ProblemType.BODY_TOO_LARGE;
      case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
      default -> ProblemType.INTERNAL;
    };
  }
}
