package io.vigil.scoring.app.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders every {@link ProblemException} a controller throws. */
@Produces
@Singleton
public final class ProblemHandler
    implements ExceptionHandler<ProblemException, HttpResponse<String>> {

  @Override
  public HttpResponse<String> handle(HttpRequest request, ProblemException exception) {
    return ProblemRenderer.render(exception.problem());
  }
}
