package io.vigil.scoring.app.problem;

import io.micronaut.http.HttpRequest;
import io.vigil.kit.problem.ProblemCatalog;
import io.vigil.kit.problem.ProblemKind;
import jakarta.inject.Singleton;

/** Scoring's types and details for the errors the framework raises itself. */
@Singleton
public final class ScoringProblems implements ProblemCatalog {
  @Override
  public ProblemKind framework(int status) {
    return switch (status) {
      case 400 -> ProblemType.INVALID_REQUEST;
      case 401 -> ProblemType.UNAUTHORIZED;
      case 403 -> ProblemType.FORBIDDEN;
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      default -> ProblemType.INTERNAL;
    };
  }

  @Override
  public String frameworkDetail(ProblemKind type, HttpRequest<?> request, String errors) {
    if (type == ProblemType.UNAUTHORIZED) {
      return "send Authorization: Bearer <API key with the read scope or nurse session token>";
    }
    if (type == ProblemType.NOT_FOUND) {
      return request.getPath() + " does not exist";
    }
    return ProblemCatalog.super.frameworkDetail(type, request, errors);
  }
}
