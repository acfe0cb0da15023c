package io.vigil.alerts.lifecycle;

import io.vigil.alerts.deadletter.DeadLetters;
import io.vigil.alerts.deadletter.StreamsDeadLetterHandler;
import io.vigil.kit.streams.StreamsClients;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.alerts.BudgetState;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert lifecycle: risk scores, patient contexts, nurse actions and webhook dead letters in;
 * alert events (the audit trail) out. One processor owns every store, so each patient's alerts
 * change in one place, in input order, under exactly-once.
 */
public final class AlertsTopology {
  public static final String ALERTS_STORE = "alerts-open";
  public static final String DEADLINES_STORE = "alerts-deadlines";
  public static final String ACTIONS_SEEN_STORE = "alerts-actions-seen";
  public static final String CONTEXT_STORE = "patients-context";
  public static final String RISK_HISTORY_STORE = "risk-history";
  public static final String LAST_SEEN_STORE = "patients-last-seen";

  /**
   * The wall-clock checks of patients (readings stopped, expiry) indexed by when they are next due:
   * one row per patient with a last-seen clock.
   */
  public static final String CHECKS_STORE = "patients-checks";

  /** Per patient: the last first score's window end and risk, for the team's alert budget. */
  public static final String BUDGET_PATIENTS_STORE = "alerts-budget-patients";

  /**
   * The same patients indexed by their last window's end, so that forgetting the silent ones reads
   * only those: one row per patient of {@link #BUDGET_PATIENTS_STORE}.
   */
  public static final String BUDGET_ENDS_STORE = "alerts-budget-patients-by-end";

  /** Per care team with a budget: event-time buckets of upcrossings and monitored time. */
  public static final String BUDGET_TEAMS_STORE = "alerts-budget-teams";

  /** Every care team's threshold record, read whole by every instance (a global store). */
  public static final String TEAM_THRESHOLDS_STORE = "alerts-team-thresholds";

  public static final String PROCESSOR = "alert-lifecycle";
  public static final String BUDGET_OBSERVER = "budget-observer";
  public static final String BUDGET_AGGREGATOR = "budget-aggregator";

  private AlertsTopology() {}

  public static Topology build(LifecycleConfig settings) {
    Topology t = new Topology();
    EventTimeExtractor time = new EventTimeExtractor();
    t.addSource(
        org.apache.kafka.streams.AutoOffsetReset.earliest(),
        "risk-scores",
        time,
        Topics.RISK_SCORES.keySerde().deserializer(),
        Topics.RISK_SCORES.valueSerde().deserializer(),
        Topics.RISK_SCORES.name());
    t.addSource(
        org.apache.kafka.streams.AutoOffsetReset.earliest(),
        "patients-context-in",
        time,
        Topics.PATIENTS_CONTEXT.keySerde().deserializer(),
        Topics.PATIENTS_CONTEXT.valueSerde().deserializer(),
        Topics.PATIENTS_CONTEXT.name());
    t.addSource(
        org.apache.kafka.streams.AutoOffsetReset.earliest(),
        "alert-actions",
        time,
        Topics.ALERTS_ACTIONS.keySerde().deserializer(),
        Topics.ALERTS_ACTIONS.valueSerde().deserializer(),
        Topics.ALERTS_ACTIONS.name());
    t.addSource(
        org.apache.kafka.streams.AutoOffsetReset.earliest(),
        "webhook-dead-letters",
        time,
        AlertsTopics.WEBHOOK_DEAD_LETTER.keySerde().deserializer(),
        AlertsTopics.WEBHOOK_DEAD_LETTER.valueSerde().deserializer(),
        AlertsTopics.WEBHOOK_DEAD_LETTER.name());
    t.addProcessor(
        PROCESSOR,
        () -> new AlertProcessor(settings),
        "risk-scores",
        "patients-context-in",
        "alert-actions",
        "webhook-dead-letters");
    t.addProcessor(BUDGET_OBSERVER, () -> new BudgetObserver(settings), "risk-scores");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ALERTS_STORE), Serdes.String(), AlertStateSerde.SERDE),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DEADLINES_STORE), Serdes.String(), Serdes.String()),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ACTIONS_SEEN_STORE), Serdes.String(), Serdes.Long()),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CONTEXT_STORE),
            Serdes.String(),
            AvroSerde.of(PatientContext.class)),
        PROCESSOR,
        BUDGET_OBSERVER);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RISK_HISTORY_STORE),
            Serdes.String(),
            AvroSerde.of(RiskScore.class)),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LAST_SEEN_STORE), Serdes.String(), LastSeen.SERDE),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CHECKS_STORE), Serdes.String(), Serdes.String()),
        PROCESSOR);
    t.addSink(
        "alert-events",
        Topics.ALERTS_EVENTS.name(),
        Topics.ALERTS_EVENTS.keySerde().serializer(),
        Topics.ALERTS_EVENTS.valueSerde().serializer(),
        PROCESSOR);
    addBudget(t, settings, time);
    return t;
  }

  /**
   * The care teams' alert budgets: the observer next to the lifecycle (partitioned by patient)
   * sends each team's new windows to {@code alerts.budget.observations} keyed by team; the
   * aggregator (partitioned by team) chooses each team's threshold and writes it to the compacted
   * {@code alerts.team-thresholds}, which every instance's lifecycle reads whole as a global store.
   */
  private static void addBudget(Topology t, LifecycleConfig settings, EventTimeExtractor time) {
    AvroSerde<BudgetObservation> observations = AvroSerde.of(BudgetObservation.class);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(BUDGET_PATIENTS_STORE), Serdes.String(), observations),
        BUDGET_OBSERVER);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(BUDGET_ENDS_STORE), Serdes.String(), Serdes.String()),
        BUDGET_OBSERVER);
    t.addSink(
        "budget-observations-out",
        AlertsTopics.BUDGET_OBSERVATIONS.name(),
        AlertsTopics.BUDGET_OBSERVATIONS.keySerde().serializer(),
        AlertsTopics.BUDGET_OBSERVATIONS.valueSerde().serializer(),
        BUDGET_OBSERVER);
    t.addSource(
        org.apache.kafka.streams.AutoOffsetReset.earliest(),
        "budget-observations-in",
        time,
        AlertsTopics.BUDGET_OBSERVATIONS.keySerde().deserializer(),
        AlertsTopics.BUDGET_OBSERVATIONS.valueSerde().deserializer(),
        AlertsTopics.BUDGET_OBSERVATIONS.name());
    t.addProcessor(
        BUDGET_AGGREGATOR, () -> new BudgetAggregator(settings), "budget-observations-in");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BUDGET_TEAMS_STORE),
                Serdes.String(),
                AvroSerde.of(BudgetState.class))
            // A team's state is tens of kilobytes and changes with every observation: the cache
            // writes it to the changelog once per commit, not once per window of a backlog.
            .withCachingEnabled(),
        BUDGET_AGGREGATOR);
    t.addSink(
        "team-thresholds-out",
        AlertsTopics.TEAM_THRESHOLDS.name(),
        AlertsTopics.TEAM_THRESHOLDS.keySerde().serializer(),
        AlertsTopics.TEAM_THRESHOLDS.valueSerde().serializer(),
        BUDGET_AGGREGATOR);
    t.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TEAM_THRESHOLDS_STORE),
                Serdes.String(),
                AvroSerde.of(TeamThreshold.class))
            .withLoggingDisabled(),
        "team-thresholds-in",
        time,
        AlertsTopics.TEAM_THRESHOLDS.keySerde().deserializer(),
        AlertsTopics.TEAM_THRESHOLDS.valueSerde().deserializer(),
        AlertsTopics.TEAM_THRESHOLDS.name(),
        "team-thresholds-store",
        () -> new TeamThresholdsUpdater());
  }

  public static Properties streamsConfig(String applicationId, String bootstrap, Path stateDir) {
    return streamsConfig(applicationId, bootstrap, stateDir, null);
  }

  /**
   * The topology's configuration; records it cannot decode or process go to {@code deadLetters}
   * (logged and skipped when it is null).
   */
  public static Properties streamsConfig(
      String applicationId, String bootstrap, Path stateDir, DeadLetters deadLetters) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimeExtractor.class);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    // One record that cannot be decoded or processed must not stop every patient's alerts: it is
    // set aside to alerts.dead-letter with its reason and origin, counted, and the stream goes on.
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        StreamsDeadLetterHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetterHandler.class);
    if (deadLetters != null) {
      p.put(StreamsDeadLetterHandler.DEAD_LETTERS, deadLetters);
    }
    // Escalation timers pause while partitions move: a clean stop leaves the group at once, and a
    // crashed instance is noticed after 10 s instead of the default 45 s.
    p.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    return StreamsClients.shared(p);
  }
}
