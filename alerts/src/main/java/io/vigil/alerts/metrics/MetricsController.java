package io.vigil.alerts.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Prometheus scrape endpoint; it carries no patient data and names no tenant. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public final class MetricsController {
  private final AlertMetrics metrics;

  public MetricsController(AlertMetrics metrics) {
    this.metrics = metrics;
  }

  @Get("/metrics")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> metrics() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return HttpResponse.ok(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
  }
}
