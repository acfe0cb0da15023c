package io.vigil.alerts.streams;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.deadletter.DeadLetters;
import io.vigil.alerts.lifecycle.AlertsTopics;
import io.vigil.alerts.lifecycle.AlertsTopology;
import io.vigil.alerts.lifecycle.StoreKeys;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.TopicAdmin;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lifecycle topology inside the service and answers interactive queries on its risk
 * history. One instance holds every partition's state; with several instances, a query for a
 * patient whose partition is elsewhere returns nothing (see the README).
 */
@Context
public final class AlertsStreams {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsStreams.class);
  private final KafkaStreams streams;

  public AlertsStreams(AlertsConfig config, DeadLetters deadLetters) throws Exception {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    admin.putAll(config.kafkaSecurity());
    try (Admin a = Admin.create(admin)) {
      List<String> created =
          TopicAdmin.ensureTopics(a, AlertsTopics.all(), config.replicationFactor());
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
    }
    Properties props =
        AlertsTopology.streamsConfig(
            config.applicationId(), config.bootstrapServers(), config.stateDir(), deadLetters);
    props.putAll(config.kafkaSecurity());
    org.apache.kafka.streams.Topology topology = AlertsTopology.build(config.lifecycle());
    VitalsHistory.addTo(topology);
    streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("alert lifecycle stream thread failed; replacing it", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The patient's risk scores with window end at or after {@code since}, oldest first. */
  public List<RiskScore> riskHistory(String patient, Instant since) {
    List<RiskScore> out = new ArrayList<>();
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return out;
    }
    try {
      ReadOnlyKeyValueStore<String, RiskScore> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  AlertsTopology.RISK_HISTORY_STORE, QueryableStoreTypes.keyValueStore()));
      try (KeyValueIterator<String, RiskScore> it =
          store.range(
              StoreKeys.history(patient, since.toEpochMilli()),
              StoreKeys.history(patient, Long.MAX_VALUE))) {
        it.forEachRemaining(kv -> out.add(kv.value));
      }
    } catch (RuntimeException e) {
      // Rebalancing or restoring: the caller shows the alert without its trend.
      LOG.debug("risk history not queryable now: {}", e.toString());
    }
    return out;
  }

  /**
   * The patient's hourly vital-sign summaries ({@link VitalsHistory}) from {@code from} to {@code
   * to}; empty series while the store is not queryable (rebalancing, restoring) or when another
   * instance holds the patient's partition.
   */
  public List<VitalsHistory.Series> vitalsHistory(String patient, Instant from, Instant to) {
    if (streams.state() == KafkaStreams.State.RUNNING) {
      try {
        return VitalsHistory.query(
            streams.store(
                StoreQueryParameters.fromNameAndType(
                    VitalsHistory.STORE, QueryableStoreTypes.windowStore())),
            patient,
            from,
            to);
      } catch (RuntimeException e) {
        LOG.debug("vitals history not queryable now: {}", e.toString());
      }
    }
    List<VitalsHistory.Series> empty = new ArrayList<>();
    VitalsHistory.NAMES.forEach(n -> empty.add(new VitalsHistory.Series(n, List.of())));
    return empty;
  }

  @PreDestroy
  void close() {
    // Leaving the group lets a restarted instance take the partitions at once instead of
    // waiting out the session timeout (45 s) with escalation timers paused.
    streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
  }
}
