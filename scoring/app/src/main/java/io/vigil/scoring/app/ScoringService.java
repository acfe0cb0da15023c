package io.vigil.scoring.app;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.http.HttpApi;
import io.vigil.scoring.app.http.RiskQueries;
import io.vigil.scoring.app.metrics.KafkaStreamsCollector;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.app.topology.ScoringTopology;
import io.vigil.scoring.model.ModelBundle;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running scoring instance: the Kafka Streams topology and the HTTP API around it. */
public final class ScoringService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

  private final KafkaStreams streams;
  private final HttpApi http;
  private final PrometheusRegistry registry = new PrometheusRegistry();

  public ScoringService(ServiceSettings settings, ModelBundle bundle) throws Exception {
    try (Admin admin =
        Admin.create(
            java.util.Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      TopicAdmin.ensureTopics(admin, Topics.all(), settings.replicationFactor());
    }
    JvmMetrics.builder().register(registry);
    ScoringMetrics metrics = new ScoringMetrics(registry, settings.metricsTenantLabels());
    Properties props =
        ScoringTopology.streamsConfig(
            settings.bootstrapServers(),
            settings.applicationId(),
            settings.stateDir(),
            settings.threads());
    props.putAll(settings.streamsOverrides());
    // The HTTP server binds first so that application.server carries the real port (PORT=0 in
    // tests picks a free one).
    KafkaStreams[] holder = new KafkaStreams[1];
    HostInfo[] self = new HostInfo[1];
    this.http =
        new HttpApi(
            settings.port(),
            new RiskQueries(() -> holder[0]),
            () -> holder[0] == null ? KafkaStreams.State.CREATED : holder[0].state(),
            registry,
            () -> self[0]);
    self[0] = new HostInfo(settings.advertisedHost(), http.port());
    props.put(
        StreamsConfig.APPLICATION_SERVER_CONFIG, settings.advertisedHost() + ":" + http.port());
    this.streams =
        new KafkaStreams(ScoringTopology.build(settings.scoring(), bundle, metrics), props);
    holder[0] = streams;
    registry.register(new KafkaStreamsCollector(streams::metrics));
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
    LOG.info(
        "scoring {} with model {} ({} h windows every {}), HTTP on :{}",
        settings.applicationId(),
        bundle.version(),
        settings.scoring().windowHours(),
        settings.scoring().cadence(),
        http.port());
  }

  public int httpPort() {
    return http.port();
  }

  public KafkaStreams streams() {
    return streams;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    http.close();
    streams.close(Duration.ofSeconds(30));
  }
}
