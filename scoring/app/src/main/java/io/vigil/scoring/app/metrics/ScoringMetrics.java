package io.vigil.scoring.app.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.vitals.RejectionReason;

/**
 * The scoring pipeline's own metrics. Labels are small, fixed sets (topic, reason, outcome) and, on
 * the late-data counters, the tenant (a platform, not a patient) only when an operator turns that
 * on: never a patient or reading identifier.
 */
public final class ScoringMetrics {
  private final Counter recordsIn;
  private final Counter rejected;
  private final Counter scoresOut;
  private final Histogram batchSize;
  private final Histogram inferenceSeconds;
  private final Histogram emitLagSeconds;
  private final Gauge dueWindows;
  private final Counter lateReadings;
  private final Counter revisions;
  private final Counter patientsExpired;
  private final boolean tenantLabels;

  /** Metrics that name no tenant: the late-data counters are labelled {@code tenant="*"}. */
  public ScoringMetrics(PrometheusRegistry registry) {
    this(registry, false);
  }

  /**
   * @param tenantLabels true to label the late-data counters by tenant (an operator's choice: it
   *     names tenants in {@code /metrics}); false labels them {@code tenant="*"}
   */
  public ScoringMetrics(PrometheusRegistry registry, boolean tenantLabels) {
    this.tenantLabels = tenantLabels;
    lateReadings =
        Counter.builder()
            .name("vigil_scoring_late_readings_total")
            .help(
                "Readings that arrived after a window they belong to had closed, by tenant and"
                    + " outcome (accepted: within the allowed lateness, their windows are scored"
                    + " again; too_late: beyond it, sent to vitals.rejected as TOO_LATE).")
            .labelNames("tenant", "outcome")
            .register(registry);
    patientsExpired =
        Counter.builder()
            .name("vigil_scoring_patients_expired_total")
            .help(
                "Patients whose scoring state was deleted after the patient expiry (no reading for"
                    + " SCORING_PATIENT_EXPIRY_DAYS).")
            .register(registry);
    revisions =
        Counter.builder()
            .name("vigil_scoring_revisions_total")
            .help(
                "Windows scored again because late readings changed them (revision 1 and up), by"
                    + " tenant.")
            .labelNames("tenant")
            .register(registry);
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
                "Records sent to vitals.rejected, by reason (TOO_LATE: beyond the allowed lateness,"
                    + " DUPLICATE: reading id seen before, others: undecodable or invalid).")
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

  /** A reading whose window had closed: accepted (within the allowed lateness) or too late. */
  public void lateReading(String tenant, boolean accepted) {
    lateReadings.labelValues(tenantLabel(tenant), accepted ? "accepted" : "too_late").inc();
  }

  /** A patient's state deleted after the patient expiry. */
  public void patientExpired() {
    patientsExpired.inc();
  }

  /** A window's score revised by late readings. */
  public void revised(String tenant) {
    revisions.labelValues(tenantLabel(tenant)).inc();
  }

  private String tenantLabel(String tenant) {
    return tenantLabels ? tenant : "*";
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
