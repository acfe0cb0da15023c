package io.vigil.ingest.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.swagger.v3.oas.annotations.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Prometheus scrape endpoint, text format 0.0.4. */
@Controller
public final class MetricsController {
  private final IngestMetrics metrics;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsController(IngestMetrics metrics) {
    this.metrics = metrics;
  }

  @Operation(summary = "Prometheus metrics (text format)")
  @Get(uri = "/metrics", produces = PrometheusTextFormatWriter.CONTENT_TYPE)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<byte[]> scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    writer.write(out, metrics.registry().scrape());
    return HttpResponse.ok(out.toByteArray()).contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
  }
}
