package io.vigil.scoring.app.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vigil.kit.metrics.PrometheusScrape;
import io.vigil.scoring.app.ScoringRuntime;
import java.io.IOException;

/** Prometheus scrape endpoint, text format 0.0.4. */
@Controller
public final class MetricsController {
  private final ScoringRuntime runtime;

  public MetricsController(ScoringRuntime runtime) {
    this.runtime = runtime;
  }

  @Get(uri = "/metrics", produces = PrometheusScrape.CONTENT_TYPE)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<byte[]> scrape() throws IOException {
    return PrometheusScrape.of(runtime.registry());
  }
}
