package io.vigil.kit.metrics;

import io.micronaut.http.HttpResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A service's answer to a Prometheus scrape: every metric of its registry in the text format 0.0.4.
 * Each service keeps its own {@code /metrics} controller, which says who may read it, and answers
 * with this.
 */
public final class PrometheusScrape {
  /** The text format's content type, for the controller's {@code produces}. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  private PrometheusScrape() {}

  /** The metrics of {@code registry} as they are now. */
  public static HttpResponse<byte[]> of(PrometheusRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    WRITER.write(out, registry.scrape());
    return HttpResponse.ok(out.toByteArray()).contentType(CONTENT_TYPE);
  }
}
