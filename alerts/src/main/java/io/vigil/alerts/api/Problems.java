package io.vigil.alerts.api;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemJson;
import io.vigil.kit.problem.ProblemKind;

/**
 * The alerts API's problem+json answers, each with a specific type ({@code
 * urn:vigil:problem:<slug>}), written by the service kit's {@link ProblemJson} like every
 * service's.
 */
public final class Problems {
  public static final String MEDIA_TYPE = ProblemJson.MEDIA_TYPE;
  private static final ProblemJson JSON = new ProblemJson("vigil-alerts");

  private Problems() {}

  public static MutableHttpResponse<String> of(
      HttpStatus status, String type, String title, String detail) {
    return JSON.render(null, Problem.of(ProblemKind.of(type, status.getCode(), title), detail));
  }

  public static MutableHttpResponse<String> forbidden(String type, String detail) {
    return of(HttpStatus.FORBIDDEN, type, "Forbidden", detail);
  }

  public static MutableHttpResponse<String> notFound(String detail) {
    return of(HttpStatus.NOT_FOUND, "alert-not-found", "Alert not found", detail);
  }

  public static MutableHttpResponse<String> conflict(String type, String detail) {
    return of(HttpStatus.CONFLICT, type, "Conflict", detail);
  }
}
