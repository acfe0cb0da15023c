package io.vigil.ingest.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.vigil.kit.metrics.PrometheusScrape;
import java.io.IOException;

/** Prometheus scrape endpoint, text format 0.0.4. */
@Controller
public final class MetricsController {
  private final IngestMetrics metrics;

  public MetricsController(IngestMetrics metrics) {
    this.metrics = metrics;
  }

  @Operation(summary = "Prometheus metrics (text format)")
  @Get(uri = "/metrics", produces = PrometheusScrape.CONTENT_TYPE)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<byte[]> scrape() throws IOException {
    return PrometheusScrape.of(metrics.registry());
  }
}
