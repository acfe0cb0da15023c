package io.vigil.ingest.kafka;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.vigil.ingest.IngestConfig;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka answers (for readiness), and creation of the topics ingest writes when they are
 * missing, with the catalogue's settings (a broker's auto-created topic would lack them).
 */
@Singleton
public final class KafkaStatus {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaStatus.class);
  private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Admin admin;
  private final short replicationFactor;
  private volatile long checkedAt;
  private volatile boolean reachable;
  private volatile boolean topicsReady;
  private volatile String problem;

  public KafkaStatus(KafkaClientSettings settings, IngestConfig config) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.putAll(KafkaConnection.fromEnvironment().securityProperties());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-ingest-health");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    this.admin = Admin.create(props);
    this.replicationFactor = config.topicReplicationFactor();
  }

  /** True when a broker answered within 2 s; cached for a second so probes stay cheap. */
  public synchronized boolean reachable() {
    long now = System.nanoTime();
    if (checkedAt != 0 && now - checkedAt < CACHE_NANOS) {
      return reachable;
    }
    try {
      reachable =
          !admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
              .nodes()
              .get(2500, TimeUnit.MILLISECONDS)
              .isEmpty();
      problem = null;
    } catch (Exception e) {
      reachable = false;
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String why =
          cause instanceof org.apache.kafka.common.errors.AuthenticationException
              ? "authentication failed: " + cause.getMessage()
              : cause instanceof org.apache.kafka.common.errors.AuthorizationException
                  ? "not authorised: " + cause.getMessage()
                  : "no broker answered within 2 s";
      if (!why.equals(problem)) {
        LOG.warn("Kafka is not usable: {}", why);
      }
      problem = why;
    }
    checkedAt = System.nanoTime();
    if (reachable && !topicsReady) {
      ensureTopics();
    }
    return reachable;
  }

  /** Why the last check failed (authentication, authorisation, no answer), or null. */
  public String problem() {
    return problem;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    Thread thread = new Thread(this::reachable, "vigil-ingest-topics");
    thread.setDaemon(true);
    thread.start();
  }

  private void ensureTopics() {
    try {
      List<String> created =
          TopicAdmin.ensureTopics(
              admin,
              List.of(Topics.VITALS_OBSERVATIONS, Topics.PATIENTS_CONTEXT),
              replicationFactor);
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
      topicsReady = true;
    } catch (Exception e) {
      LOG.warn("could not check or create topics: {}", e.toString());
    }
  }

  @PreDestroy
  void close() {
    admin.close(Duration.ofSeconds(1));
  }
}
