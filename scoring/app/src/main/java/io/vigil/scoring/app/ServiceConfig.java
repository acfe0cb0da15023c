package io.vigil.scoring.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.vigil.schemas.VigilHome;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.WindowPhase;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's settings, bound from {@code vigil.scoring.*}: application.yml gives each its
 * default and the {@code SCORING_*} environment variable that overrides it (the module README lists
 * them). A value that is not of the setting's type stops the start, naming the setting.
 *
 * @param applicationId {@code SCORING_APPLICATION_ID}: the Kafka Streams application id
 * @param host {@code SCORING_HOST}: the host other instances reach this one at, for forwarding risk
 *     queries
 * @param stateDir {@code SCORING_STATE_DIR}; blank for {@code $VIGIL_HOME/scoring-state}
 * @param modelDir {@code SCORING_MODEL_DIR}: a model bundle directory; blank for the shipped bundle
 * @param threads {@code SCORING_THREADS}: stream threads (each holds one network copy); 0 for one
 *     per core, as each DL4J call uses one native thread
 * @param replicationFactor {@code SCORING_REPLICATION_FACTOR} of the topics this service creates
 * @param metricsTenantLabels {@code SCORING_METRICS_TENANT_LABELS}: false labels the late-reading
 *     and revision counters {@code tenant="*"}; true labels them by tenant (an operator's choice:
 *     it names tenants in {@code /metrics})
 * @param threadFailureLimit {@code SCORING_THREAD_FAILURE_LIMIT}: replaced stream threads within
 *     the window from which readiness is DOWN
 * @param threadFailureWindowMinutes {@code SCORING_THREAD_FAILURE_WINDOW_MINUTES}: that window
 * @param statusIntervalSeconds {@code SCORING_STATUS_INTERVAL_SECONDS}: how often the instance
 *     reports on {@code services.status} which partitions it scores
 * @param cadenceMinutes {@code SCORING_CADENCE_MINUTES}, the topology's {@link
 *     ScoringConfig#cadence()}, as are the knobs below (the window length is the model bundle's)
 * @param windowPhase {@code SCORING_WINDOW_PHASE}: {@code patient} or {@code aligned}
 * @param graceMinutes {@code SCORING_GRACE_MINUTES}
 * @param allowedLatenessHours {@code SCORING_ALLOWED_LATENESS_HOURS}
 * @param patientExpiryDays {@code SCORING_PATIENT_EXPIRY_DAYS}
 * @param idleMinutes {@code SCORING_IDLE_MINUTES}
 * @param batchSize {@code SCORING_BATCH_SIZE}
 * @param inferenceThreads {@code SCORING_INFERENCE_THREADS}
 * @param explainLevel {@code SCORING_EXPLAIN_LEVEL}
 * @param retentionDays {@code SCORING_RETENTION_DAYS}
 */
@ConfigurationProperties("vigil.scoring")
public record ServiceConfig(
    String applicationId,
    String host,
    @Nullable String stateDir,
    @Nullable String modelDir,
    int threads,
    short replicationFactor,
    boolean metricsTenantLabels,
    int threadFailureLimit,
    int threadFailureWindowMinutes,
    int statusIntervalSeconds,
    int cadenceMinutes,
    String windowPhase,
    int graceMinutes,
    int allowedLatenessHours,
    int patientExpiryDays,
    int idleMinutes,
    int batchSize,
    int inferenceThreads,
    double explainLevel,
    int retentionDays) {

  public ServiceConfig {
    WindowPhase.parse(windowPhase); // an unknown phase stops the start, naming the variable
    if (threads < 0) {
      throw new IllegalArgumentException("SCORING_THREADS must not be negative, got " + threads);
    }
  }

  /** Where Kafka Streams keeps its state: {@code stateDir}, else under the state folder. */
  public Path stateDir(VigilHome home) {
    return stateDir == null || stateDir.isBlank()
        ? home.resolve("scoring-state")
        : Path.of(stateDir);
  }

  /** The model bundle directory, or null for the shipped bundle. */
  public Path modelPath() {
    return modelDir == null || modelDir.isBlank() ? null : Path.of(modelDir);
  }

  /** Stream threads to run: {@code threads}, or one per core when it is 0. */
  public int streamThreads() {
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }

  public Duration threadFailureWindow() {
    return Duration.ofMinutes(threadFailureWindowMinutes);
  }

  public Duration statusInterval() {
    return Duration.ofSeconds(statusIntervalSeconds);
  }

  /** The topology's windowing for a model bundle of {@code windowHours}-hour windows. */
  public ScoringConfig topology(int windowHours) {
    return ScoringConfig.defaults().toBuilder()
        .windowHours(windowHours)
        .cadence(Duration.ofMinutes(cadenceMinutes))
        .grace(Duration.ofMinutes(graceMinutes))
        .idleTimeout(Duration.ofMinutes(idleMinutes))
        .batchSize(batchSize)
        .explainLevel(explainLevel)
        .scoreRetention(Duration.ofDays(retentionDays))
        .inferenceThreads(inferenceThreads)
        .allowedLateness(Duration.ofHours(allowedLatenessHours))
        .patientExpiry(Duration.ofDays(patientExpiryDays))
        .windowPhase(WindowPhase.parse(windowPhase))
        .build();
  }
}
