package io.vigil.kit.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What Prometheus reads from every service's {@code /metrics}. */
class PrometheusScrapeTest {
  @Test
  void shouldAnswerEveryMetricOfTheRegistryInTheTextFormat() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder()
        .name("vigil_test_readings_total")
        .help("Readings seen.")
        .labelNames("source")
        .register(registry)
        .labelValues("ward")
        .inc(3);
    HttpResponse<byte[]> answer = PrometheusScrape.of(registry);
    assertEquals(200, answer.getStatus().getCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        answer.getContentType().orElseThrow().toString());
    String text = new String(answer.body(), StandardCharsets.UTF_8);
    assertTrue(text.contains("# HELP vigil_test_readings_total Readings seen.\n"), text);
    assertTrue(text.contains("# TYPE vigil_test_readings_total counter\n"), text);
    assertTrue(text.contains("vigil_test_readings_total{source=\"ward\"} 3.0\n"), text);
  }
}
