package io.vigil.alerts.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.vigil.kit.metrics.PrometheusScrape;
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
  public HttpResponse<byte[]> metrics() throws IOException {
    return PrometheusScrape.of(metrics.registry());
  }
}
