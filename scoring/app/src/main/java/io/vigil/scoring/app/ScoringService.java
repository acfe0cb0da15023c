package io.vigil.scoring.app;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.health.StatusReporter;
import io.vigil.scoring.app.metrics.KafkaStreamsCollector;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.app.topology.ScoringTopology;
import io.vigil.scoring.model.ModelBundle;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running scoring instance's Kafka Streams side: creates missing catalogue topics, runs the
 * topology (exactly once) and registers its metrics. It serves no HTTP itself: the Micronaut
 * application ({@link Application}) starts it once its HTTP server is bound, so that {@code
 * application.server} carries the real port other instances forward risk queries to.
 *
 * <p>A stream thread that fails is replaced and counted in {@link #threadFailures()}; readiness
 * turns DOWN when replacements pile up within the configured window. A {@link StatusReporter} tells
 * the alerts service which partitions the instance scores, so that nurses learn when some patients
 * are scored by no instance.
 */
public final class ScoringService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

  private final KafkaStreams streams;
  private final PrometheusRegistry registry;
  private final ThreadFailures threadFailures;
  private final StatusReporter status;

  /** An instance with its own metrics registry (benchmarks and tests without HTTP). */
  public ScoringService(ServiceSettings settings, ModelBundle bundle) throws Exception {
    this(settings, bundle, new PrometheusRegistry());
  }

  /**
   * Starts the topology; {@code settings.port()} is the HTTP port advertised to other instances.
   */
  public ScoringService(ServiceSettings settings, ModelBundle bundle, PrometheusRegistry registry)
      throws Exception {
    this.registry = registry;
    this.threadFailures =
        new ThreadFailures(settings.threadFailureWindow(), settings.threadFailureLimit());
    Map<String, Object> adminProps = new HashMap<>();
    settings.clientProperties().forEach((k, v) -> adminProps.put(k.toString(), v));
    try (Admin admin = Admin.create(adminProps)) {
      TopicAdmin.ensureTopics(
          admin, Topics.all(), settings.replicationFactor(), settings.topicPartitions());
    }
    JvmMetrics.builder().register(registry);
    ScoringMetrics metrics = new ScoringMetrics(registry, settings.metricsTenantLabels());
    Counter replaced =
        Counter.builder()
            .name("vigil_scoring_stream_threads_replaced_total")
            .help(
                "Stream threads that failed with an uncaught exception and were replaced; readiness"
                    + " is DOWN while too many fall within the configured window.")
            .register(registry);
    Properties props =
        ScoringTopology.streamsConfig(
            settings.bootstrapServers(),
            settings.applicationId(),
            settings.stateDir(),
            settings.threads(),
            metrics);
    props.putAll(settings.streamsOverrides());
    props.put(
        StreamsConfig.APPLICATION_SERVER_CONFIG, settings.advertisedHost() + ":" + settings.port());
    this.streams =
        new KafkaStreams(ScoringTopology.build(settings.scoring(), bundle, metrics), props);
    registry.register(new KafkaStreamsCollector(streams::metrics));
    streams.setUncaughtExceptionHandler(
        e -> {
          threadFailures.record(Instant.now());
          replaced.inc();
          LOG.error(
              "stream thread failed; replacing it ({} replacements in the last {})",
              threadFailures.recent(Instant.now()),
              threadFailures.window(),
              e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
    String instance = settings.advertisedHost() + ":" + settings.port();
    this.status =
        new StatusReporter(
            streams,
            threadFailures,
            settings.applicationId(),
            instance,
            settings.statusInterval(),
            settings.clientProperties(),
            registry);
    LOG.info(
        "scoring {} with model {} ({} h windows every {}), advertised as {}:{}",
        settings.applicationId(),
        bundle.version(),
        settings.scoring().windowHours(),
        settings.scoring().cadence(),
        settings.advertisedHost(),
        settings.port());
  }

  public KafkaStreams streams() {
    return streams;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Stream threads replaced after an uncaught exception. */
  public ThreadFailures threadFailures() {
    return threadFailures;
  }

  @Override
  public void close() {
    try {
      streams.close(Duration.ofSeconds(30));
    } finally {
      status.close();
    }
  }
}
