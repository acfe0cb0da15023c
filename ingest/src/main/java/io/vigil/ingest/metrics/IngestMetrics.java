package io.vigil.ingest.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vigil.ingest.IngestConfig;
import jakarta.inject.Singleton;

/**
 * The service's Prometheus metrics. Labels are small and bounded: source, vital, reason, route,
 * status; never a patient. The {@code source} label names no platform unless an operator turns it
 * on ({@code vigil.ingest.metrics-source-labels}, {@code VIGIL_INGEST_METRICS_SOURCE_LABELS}): off,
 * its value is {@value #ANY_SOURCE} for every source.
 */
@Singleton
public final class IngestMetrics {
  /** The {@code source} label value while source labels are off. */
  public static final String ANY_SOURCE = "*";

  private final boolean sourceLabels;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter accepted =
      Counter.builder()
          .name("vigil_ingest_readings_accepted_total")
          .help("Readings acknowledged by Kafka and answered as accepted")
          .labelNames("source", "vital")
          .register(registry);
  private final Counter rejected =
      Counter.builder()
          .name("vigil_ingest_readings_rejected_total")
          .help("Readings rejected by validation, by reason")
          .labelNames("source", "reason")
          .register(registry);
  private final Histogram requestDuration =
      Histogram.builder()
          .name("vigil_ingest_request_duration_seconds")
          .help("Time from request arrival to response, by route and status")
          .unit(Unit.SECONDS)
          .classicUpperBounds(
              0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
          .labelNames("route", "status")
          .register(registry);
  private final Histogram batchSize =
      Histogram.builder()
          .name("vigil_ingest_batch_readings")
          .help("Readings per received batch")
          .classicUpperBounds(1, 10, 50, 100, 250, 500, 1000, 2500, 5000)
          .labelNames("route")
          .register(registry);
  private final Counter producerErrors =
      Counter.builder()
          .name("vigil_ingest_producer_errors_total")
          .help("Requests whose records Kafka did not acknowledge in time, by topic and error")
          .labelNames("topic", "error")
          .register(registry);
  private final Counter patientContexts =
      Counter.builder()
          .name("vigil_ingest_patient_contexts_total")
          .help("Patient context updates acknowledged by Kafka")
          .labelNames("source")
          .register(registry);

  public IngestMetrics(IngestConfig config) {
    this.sourceLabels = config.metricsSourceLabels();
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void accepted(String source, String vital, long count) {
    accepted.labelValues(label(source), vital).inc(count);
  }

  public void rejected(String source, String reason) {
    rejected.labelValues(label(source), reason).inc();
  }

  public void request(String route, int status, double seconds) {
    requestDuration.labelValues(route, Integer.toString(status)).observe(seconds);
  }

  public void batch(String route, int readings) {
    batchSize.labelValues(route).observe(readings);
  }

  public void producerError(String topic, Throwable error) {
    producerErrors.labelValues(topic, error.getClass().getSimpleName()).inc();
  }

  /**
   * Registers the metrics of the {@code patients.context} follower: once, when it starts (they stay
   * absent while the bound is off).
   */
  public ContextFollowerMetrics contextFollower() {
    return new ContextFollowerMetrics(registry);
  }

  public void patientContexts(String source, int count) {
    patientContexts.labelValues(label(source)).inc(count);
  }

  private String label(String source) {
    return sourceLabels ? source : ANY_SOURCE;
  }
}
