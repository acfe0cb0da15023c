package io.vigil.scoring.app.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vigil.scoring.app.ScoringRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Prometheus scrape endpoint, text format 0.0.4. */
@Controller
public final class MetricsController {
  private final ScoringRuntime runtime;
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  public MetricsController(ScoringRuntime runtime) {
    this.runtime = runtime;
  }

  @Get(uri = "/metrics", produces = PrometheusTextFormatWriter.CONTENT_TYPE)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<byte[]> scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    writer.write(out, runtime.registry().scrape());
    return HttpResponse.ok(out.toByteArray()).contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
  }
}
