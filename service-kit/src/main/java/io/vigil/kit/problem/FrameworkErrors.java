package io.vigil.kit.problem;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Errors raised by the framework itself (no credential, unknown route, wrong method, body over the
 * size limit, unreadable body) answer problem+json with the service's stable type too, never
 * Micronaut's own JSON. The text of an unexpected failure is never echoed to a client.
 */
@Singleton
@Primary
@Requires(beans = ProblemCatalog.class)
public final class FrameworkErrors implements ErrorResponseProcessor<String> {
  static final String UNEXPECTED = "unexpected error; see the service log";

  private final ProblemRenderer renderer;
  private final ProblemCatalog catalog;

  public FrameworkErrors(ProblemRenderer renderer, ProblemCatalog catalog) {
    this.renderer = renderer;
    this.catalog = catalog;
  }

  @Override
  public MutableHttpResponse<String> processResponse(
      ErrorContext context, MutableHttpResponse<?> base) {
    int status = base.getStatus().getCode();
    ProblemKind type = catalog.framework(status);
    String detail =
        status >= 500 || type.status() >= 500
            ? UNEXPECTED
            : catalog.frameworkDetail(
                type,
                context.getRequest(),
                context.getErrors().stream()
                    .map(Error::getMessage)
                    .collect(Collectors.joining("; ")));
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
