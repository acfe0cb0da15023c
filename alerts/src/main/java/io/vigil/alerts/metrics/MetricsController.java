package io.vigil.alerts.metrics;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.view.AlertView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Prometheus scrape endpoint and the health check. Neither carries patient data. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public final class MetricsController {
  private final AlertMetrics metrics;
  private final AlertsStreams streams;
  private final AlertView view;

  public MetricsController(AlertMetrics metrics, AlertsStreams streams, AlertView view) {
    this.metrics = metrics;
    this.streams = streams;
    this.view = view;
  }

  @Get("/metrics")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> metrics() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return HttpResponse.ok(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
  }

  /** UP while the lifecycle runs (or rebalances) and the view has caught up; 503 otherwise. */
  @Get("/health")
  public HttpResponse<Map<String, Object>> health() {
    KafkaStreams.State state = streams.state();
    boolean streamsUp =
        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    boolean up = streamsUp && view.caughtUp();
    Map<String, Object> body =
        Map.of(
            "status", up ? "UP" : "DOWN",
            "streams", state.name(),
            "viewCaughtUp", view.caughtUp());
    return up
        ? HttpResponse.ok(body)
        : HttpResponse.<Map<String, Object>>status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
            .body(body);
  }
}
