package io.vigil.ingest.problem;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Errors raised by the framework itself (unknown route, wrong method, body over the size limit,
 * unreadable body) also answer problem+json with a stable type, never Micronaut's own JSON.
 */
@Singleton
@Primary
public final class FrameworkErrors implements ErrorResponseProcessor<String> {
  private final ProblemRenderer renderer;

  public FrameworkErrors(ProblemRenderer renderer) {
    this.renderer = renderer;
  }

  @Override
  public MutableHttpResponse<String> processResponse(
      ErrorContext context, MutableHttpResponse<?> base) {
    int status = base.getStatus().getCode();
    ProblemType type =
        switch (status) {
          case 400 -> ProblemType.INVALID_REQUEST;
          case 401 -> ProblemType.UNAUTHORIZED;
          case 404 -> ProblemType.NOT_FOUND;
          case 405 -> ProblemType.METHOD_NOT_ALLOWED;
          case 413 -> ProblemType.BODY_TOO_LARGE;
          case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
          default -> ProblemType.INTERNAL;
        };
    String detail =
        context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    if (detail.isBlank()) {
      detail = type.title();
    }
    if (type == ProblemType.INTERNAL && status >= 500) {
      // Never echo exception text of unexpected failures to a client.
      detail = "unexpected error; see the service log";
    }
    MutableHttpResponse<String> rendered =
        renderer.render(context.getRequest(), Problem.of(type, detail));
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
