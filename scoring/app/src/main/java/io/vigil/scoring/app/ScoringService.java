package io.vigil.scoring.app;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.kit.streams.ThreadFailures;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.health.StatusReporter;
import io.vigil.scoring.app.metrics.KafkaStreamsCollector;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.ScoringTopology;
import io.vigil.scoring.model.ModelBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
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

  /**
   * Starts the topology with the instance's settings; {@code advertised} is where other instances
   * forward risk queries (this instance's host and bound HTTP port).
   */
  public ScoringService(
      ServiceConfig config,
      ScoringConfig topology,
      KafkaConfig kafka,
      Path stateDir,
      HostInfo advertised,
      ModelBundle bundle,
      PrometheusRegistry registry)
      throws Exception {
    this.registry = registry;
    this.threadFailures =
        new ThreadFailures(config.threadFailureWindow(), config.threadFailureLimit());
    Map<String, Object> adminProps = new HashMap<>();
    kafka.clientProperties().forEach((k, v) -> adminProps.put(k.toString(), v));
    try (Admin admin = Admin.create(adminProps)) {
      TopicAdmin.ensureTopics(admin, Topics.all(), config.replicationFactor());
    }
    JvmMetrics.builder().register(registry);
    ScoringMetrics metrics = new ScoringMetrics(registry, config.metricsTenantLabels());
    Counter replaced =
        Counter.builder()
            .name("vigil_scoring_stream_threads_replaced_total")
            .help(
                "Stream threads that failed with an uncaught exception and were replaced; readiness"
                    + " is DOWN while too many fall within the configured window.")
            .register(registry);
    Properties props =
        ScoringTopology.streamsConfig(
            kafka.bootstrapServers(),
            config.applicationId(),
            stateDir.toString(),
            config.streamThreads(),
            metrics);
    props.putAll(kafka.streamsOverrides());
    String instance = advertised.host() + ":" + advertised.port();
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, instance);
    this.streams = new KafkaStreams(ScoringTopology.build(topology, bundle, metrics), props);
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
    this.status =
        new StatusReporter(
            streams,
            threadFailures,
            config.applicationId(),
            instance,
            config.statusInterval(),
            kafka.clientProperties(),
            registry);
    LOG.info(
        "scoring {} with model {} ({} h windows every {}), advertised as {}",
        config.applicationId(),
        bundle.version(),
        topology.windowHours(),
        topology.cadence(),
        instance);
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
