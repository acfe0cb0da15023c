package io.vigil.scoring.app;

import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.scoring.app.access.AccessSettings;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.WindowPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The service's configuration, read from environment variables (what {@code ./vigil up} and
 * container platforms set). Every variable is optional; see the module README for the list.
 *
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, default 127.0.0.1:9092
 * @param port {@code PORT}, HTTP port, default 8082
 * @param advertisedHost {@code SCORING_HOST}: host other instances reach this one at, for
 *     forwarding risk queries; default 127.0.0.1
 * @param applicationId {@code SCORING_APPLICATION_ID}, the Kafka Streams application id
 * @param stateDir {@code SCORING_STATE_DIR}, default {@code $VIGIL_HOME/scoring-state}
 * @param modelDir {@code SCORING_MODEL_DIR}: a model bundle directory; null for the shipped bundle
 * @param threads {@code SCORING_THREADS}, stream threads (each holds one network copy), default one
 *     per core: each DL4J call uses one native thread, so more cores need more stream threads
 * @param replicationFactor {@code SCORING_REPLICATION_FACTOR} for topics this service creates
 * @param topicPartitions {@code VIGIL_TOPIC_PARTITIONS}, default 6: partitions of the patient
 *     topics this service creates (existing topics keep theirs)
 * @param scoring the windowing knobs: {@code SCORING_CADENCE_MINUTES}, {@code
 *     SCORING_GRACE_MINUTES}, {@code SCORING_IDLE_MINUTES}, {@code SCORING_BATCH_SIZE}, {@code
 *     SCORING_EXPLAIN_LEVEL}, {@code SCORING_RETENTION_DAYS}, {@code SCORING_INFERENCE_THREADS},
 *     {@code SCORING_ALLOWED_LATENESS_HOURS} (default 24), {@code SCORING_PATIENT_EXPIRY_DAYS}
 *     (default 30), {@code SCORING_WINDOW_PHASE} ({@code patient}, the default, or {@code
 *     aligned}); the window length is the bundle's
 * @param metricsTenantLabels {@code SCORING_METRICS_TENANT_LABELS}, default false: the late-reading
 *     and revision counters are labelled {@code tenant="*"}; true labels them by tenant (an
 *     operator's choice: it names tenants in {@code /metrics})
 * @param streamsOverrides any {@code KAFKA_STREAMS_X_Y} variable as Kafka Streams property {@code
 *     x.y} (e.g. {@code KAFKA_STREAMS_CONSUMER_SESSION_TIMEOUT_MS})
 * @param threadFailureLimit {@code SCORING_THREAD_FAILURE_LIMIT}, default 3: replaced stream
 *     threads within the window from which readiness is DOWN
 * @param threadFailureWindow {@code SCORING_THREAD_FAILURE_WINDOW_MINUTES}, default 10
 * @param access who may read the risk API ({@link AccessSettings})
 * @param statusInterval {@code SCORING_STATUS_INTERVAL_SECONDS}, default 10: how often the instance
 *     reports on {@code services.status} which partitions it scores
 */
public record ServiceSettings(
    String bootstrapServers,
    int port,
    String advertisedHost,
    String applicationId,
    String stateDir,
    Path modelDir,
    int threads,
    short replicationFactor,
    int topicPartitions,
    ScoringConfig scoring,
    boolean metricsTenantLabels,
    Properties streamsOverrides,
    int threadFailureLimit,
    Duration threadFailureWindow,
    AccessSettings access,
    Duration statusInterval) {

  public static ServiceSettings fromEnvironment(Map<String, String> env, int windowHours) {
    ScoringConfig d = ScoringConfig.defaults();
    ScoringConfig scoring =
        new ScoringConfig(
            windowHours,
            Duration.ofMinutes(integer(env, "SCORING_CADENCE_MINUTES", 60)),
            Duration.ofMinutes(integer(env, "SCORING_GRACE_MINUTES", 5)),
            Duration.ofMinutes(integer(env, "SCORING_IDLE_MINUTES", 10)),
            integer(env, "SCORING_BATCH_SIZE", d.batchSize()),
            d.flushInterval(),
            Double.parseDouble(env.getOrDefault("SCORING_EXPLAIN_LEVEL", "0.3")),
            d.topContributors(),
            Duration.ofDays(integer(env, "SCORING_RETENTION_DAYS", 14)),
            integer(env, "SCORING_INFERENCE_THREADS", d.inferenceThreads()),
            Duration.ofHours(
                integer(
                    env,
                    "SCORING_ALLOWED_LATENESS_HOURS",
                    (int) ScoringConfig.DEFAULT_ALLOWED_LATENESS.toHours())),
            Duration.ofDays(
                integer(
                    env,
                    "SCORING_PATIENT_EXPIRY_DAYS",
                    (int) ScoringConfig.DEFAULT_PATIENT_EXPIRY.toDays())),
            WindowPhase.parse(env.getOrDefault("SCORING_WINDOW_PHASE", "patient")));
    String home = env.getOrDefault("VIGIL_HOME", System.getProperty("java.io.tmpdir") + "/vigil");
    // Transport security (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*) for every client;
    // an explicit KAFKA_STREAMS_* setting wins.
    KafkaConnection connection = KafkaConnection.fromEnvironment(env);
    Properties overrides = connection.securityProperties();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("KAFKA_STREAMS_")) {
            overrides.put(
                k.substring("KAFKA_STREAMS_".length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                v);
          }
        });
    String model = env.get("SCORING_MODEL_DIR");
    return new ServiceSettings(
        connection.bootstrapServers(),
        integer(env, "PORT", 8082),
        env.getOrDefault("SCORING_HOST", "127.0.0.1"),
        env.getOrDefault("SCORING_APPLICATION_ID", "vigil-scoring"),
        env.getOrDefault("SCORING_STATE_DIR", home + "/scoring-state"),
        model == null || model.isBlank() ? null : Path.of(model),
        integer(env, "SCORING_THREADS", Runtime.getRuntime().availableProcessors()),
        (short) integer(env, "SCORING_REPLICATION_FACTOR", 1),
        TopicAdmin.patientPartitions(env),
        scoring,
        "true".equalsIgnoreCase(env.getOrDefault("SCORING_METRICS_TENANT_LABELS", "false").trim()),
        overrides,
        integer(env, "SCORING_THREAD_FAILURE_LIMIT", 3),
        Duration.ofMinutes(integer(env, "SCORING_THREAD_FAILURE_WINDOW_MINUTES", 10)),
        AccessSettings.fromEnvironment(env),
        Duration.ofSeconds(integer(env, "SCORING_STATUS_INTERVAL_SECONDS", 10)));
  }

  /** The same settings with the HTTP port the server actually bound (PORT=0 picks any). */
  public ServiceSettings withPort(int boundPort) {
    return new ServiceSettings(
        bootstrapServers,
        boundPort,
        advertisedHost,
        applicationId,
        stateDir,
        modelDir,
        threads,
        replicationFactor,
        topicPartitions,
        scoring,
        metricsTenantLabels,
        streamsOverrides,
        threadFailureLimit,
        threadFailureWindow,
        access,
        statusInterval);
  }

  /**
   * Client settings every Kafka client of the service shares (bootstrap servers and any {@code
   * security.*}, {@code sasl.*} or {@code ssl.*} override), for clients outside Kafka Streams.
   */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    streamsOverrides.forEach(
        (k, v) -> {
          String key = k.toString();
          if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
            props.put(key, v);
          }
        });
    return props;
  }

  static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
    }
  }
}
