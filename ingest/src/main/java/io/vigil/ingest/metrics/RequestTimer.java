package io.vigil.ingest.metrics;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Times every request, errors included, labelled by route family and status. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestTimer implements Ordered {
  private static final String STARTED = "vigil.started";
  private final IngestMetrics metrics;

  public RequestTimer(IngestMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE;
  }

  @RequestFilter
  void start(HttpRequest<?> request) {
    request.setAttribute(STARTED, System.nanoTime());
  }

  @ResponseFilter
  void stop(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(STARTED, Long.class)
        .ifPresent(
            started ->
                metrics.request(
                    route(request.getPath()),
                    response.code(),
                    (System.nanoTime() - started) / 1e9));
  }

  /** A bounded label: the route family, never a path carrying a patient id. */
  static String route(String path) {
    if (path.startsWith("/v1/observations")) {
      return "observations";
    }
    if (path.equals("/v1/patients") || path.startsWith("/v1/patients/")) {
      return "patients";
    }
    if (path.startsWith("/fhir/")) {
      return "fhir";
    }
    if (path.equals("/health") || path.equals("/metrics")) {
      return path.substring(1);
    }
    return "other";
  }
}
