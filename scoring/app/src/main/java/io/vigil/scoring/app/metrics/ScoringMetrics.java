package io.vigil.scoring.app.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.vitals.RejectionReason;

/**
 * The scoring pipeline's own metrics. Labels are small, fixed sets (topic, reason): never a
 * patient, tenant or reading identifier.
 */
public final class ScoringMetrics {
  private final Counter recordsIn;
  private final Counter rejected;
  private final Counter scoresOut;
  private final Histogram batchSize;
  private final Histogram inferenceSeconds;
  private final Histogram emitLagSeconds;
  private final Gauge dueWindows;

  public ScoringMetrics(PrometheusRegistry registry) {
    recordsIn =
        Counter.builder()
            .name("vigil_scoring_records_in_total")
            .help("Records read from the input topics, by topic.")
            .labelNames("topic")
            .register(registry);
    rejected =
        Counter.builder()
            .name("vigil_scoring_records_rejected_total")
            .help(
                "Records sent to vitals.rejected, by reason (LATE: past grace, DUPLICATE: reading"
                    + " id seen before, others: undecodable or invalid).")
            .labelNames("reason")
            .register(registry);
    scoresOut =
        Counter.builder()
            .name("vigil_scoring_windows_scored_total")
            .help("Windows scored and written to risk.scores.")
            .register(registry);
    batchSize =
        Histogram.builder()
            .name("vigil_scoring_batch_windows")
            .help("Windows per batched DL4J inference call.")
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
            .register(registry);
    inferenceSeconds =
        Histogram.builder()
            .name("vigil_scoring_inference_seconds")
            .help("Duration of one batched DL4J inference call (risk, without explanations).")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    emitLagSeconds =
        Histogram.builder()
            .name("vigil_scoring_emit_lag_seconds")
            .help(
                "Wall-clock time from a window becoming due (its end plus grace reached) to its"
                    + " score being emitted.")
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    dueWindows =
        Gauge.builder()
            .name("vigil_scoring_due_windows")
            .help("Windows due and waiting for the next inference batch, in this instance.")
            .register(registry);
  }

  public void recordIn(String topic) {
    recordsIn.labelValues(topic).inc();
  }

  public void rejected(RejectionReason reason) {
    rejected.labelValues(reason.name()).inc();
  }

  public void scored(int windows) {
    scoresOut.inc(windows);
  }

  public void batch(int windows, long inferenceNanos) {
    batchSize.observe(windows);
    inferenceSeconds.observe(inferenceNanos / 1e9);
  }

  public void emitLag(long millis) {
    emitLagSeconds.observe(Math.max(0, millis) / 1000.0);
  }

  public void dueWindows(long count) {
    dueWindows.set(count);
  }
}
