package io.vigil.kit.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers every {@link ProblemException} a controller or filter throws. */
@Produces
@Singleton
@Requires(classes = {ProblemException.class, ExceptionHandler.class})
public final class ProblemHandler
    implements ExceptionHandler<ProblemException, HttpResponse<String>> {
  private final ProblemRenderer renderer;

  public ProblemHandler(ProblemRenderer renderer) {
    this.renderer = renderer;
  }

  @Override
  public HttpResponse<String> handle(HttpRequest request, ProblemException exception) {
    return renderer.render(request, exception.problem());
  }
}
