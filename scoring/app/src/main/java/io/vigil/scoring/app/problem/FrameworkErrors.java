package io.vigil.scoring.app.problem;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Errors raised by the framework itself (no credential, unknown route, wrong method, bad parameter)
 * also answer problem+json with a stable type, never Micronaut's own JSON.
 */
@Singleton
@Primary
public final class FrameworkErrors implements ErrorResponseProcessor<String> {

  @Override
  public MutableHttpResponse<String> processResponse(
      ErrorContext context, MutableHttpResponse<?> base) {
    int status = base.getStatus().getCode();
    ProblemType type =
        switch (status) {
          case 400 -> ProblemType.INVALID_REQUEST;
          case 401 -> ProblemType.UNAUTHORIZED;
          case 403 -> ProblemType.FORBIDDEN;
          case 404 -> ProblemType.NOT_FOUND;
          case 405 -> ProblemType.METHOD_NOT_ALLOWED;
          default -> ProblemType.INTERNAL;
        };
    String detail =
        switch (type) {
          case UNAUTHORIZED ->
              "send Authorization: Bearer <API key with the read scope or nurse session token>";
          case NOT_FOUND -> context.getRequest().getPath() + " does not exist";
          case INTERNAL -> "unexpected error; see the service log";
          default ->
              context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        };
    if (detail.isBlank()) {
      detail = type.title();
    }
    MutableHttpResponse<String> rendered = ProblemRenderer.render(Problem.of(type, detail));
    base.getHeaders()
        .forEach(
            (name, values) -> {
              if (!rendered.getHeaders().contains(name)
                  && !"Content-Type".equalsIgnoreCase(name)
                  && !"Content-Length".equalsIgnoreCase(name)) {
                values.forEach(v -> rendered.header(name, v));
              }
            });
    return rendered;
  }
}
