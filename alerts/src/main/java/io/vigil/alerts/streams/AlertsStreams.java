package io.vigil.alerts.streams;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.config.AlertsConfig.LifecycleWatch;
import io.vigil.alerts.deadletter.DeadLetters;
import io.vigil.alerts.deadletter.StreamsDeadLetterHandler;
import io.vigil.alerts.lifecycle.AlertsTopics;
import io.vigil.alerts.lifecycle.AlertsTopology;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import io.vigil.alerts.lifecycle.StoreKeys;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.kit.streams.ThreadFailures;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lifecycle topology and the hourly vitals history inside the service and answers
 * interactive queries on the risk history and the hourly vitals. Each instance advertises its HTTP
 * address ({@code application.server} = {@link AlertsConfig#advertisedHost()} and the HTTP port),
 * so {@link #locate} can say which instance holds a patient's part.
 *
 * <p>The two run as separate Kafka Streams clients, each with its own stream thread: the lifecycle
 * ({@link AlertsConfig#applicationId()}) reads risk scores, contexts and actions, a few records per
 * patient an hour; the vitals history ({@code <application id>-history}) reads every reading,
 * hundreds of times as many. In one client both would share one thread, and every score would wait
 * its turn behind the readings polled before it: an alarm would be as late as the charts are
 * behind. Apart, a backlog of readings delays only the charts.
 *
 * <p>Neither stops in silence. The lifecycle's state is exported as {@code
 * vigil_alerts_lifecycle_up} and decides readiness; the history's as {@code
 * vigil_alerts_vitals_history_up} (not an alarm path, so no readiness). A stream thread that fails
 * is replaced, logged and counted per client ({@code vigil_alerts_stream_threads_replaced_total},
 * {@link #lifecycleFailures()}); records either client sets aside name it as the component. The
 * {@code LifecycleWatch} tells nurses when the lifecycle stops or keeps failing.
 */
@Context
public final class AlertsStreams {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsStreams.class);

  /** Suffix of the vitals history's application id after the lifecycle's. */
  public static final String HISTORY_SUFFIX = "-history";

  /** The lifecycle client's name in metrics and dead letters. */
  public static final String LIFECYCLE = StreamsDeadLetterHandler.LIFECYCLE;

  /** The vitals history client's name in metrics and dead letters. */
  public static final String HISTORY = "vitals-history";

  private final KafkaStreams streams;
  private final KafkaStreams history;
  private final ThreadFailures lifecycleFailures;
  private final ThreadFailures historyFailures;
  private final HostInfo self;

  /** The parts of a patient's history, each in its own store and sub-topology. */
  public enum Part {
    /**
     * Risk scores of the last {@code 72 h} ({@link AlertsTopology#RISK_HISTORY_STORE}), in the
     * lifecycle's client.
     */
    RISK(AlertsTopology.RISK_HISTORY_STORE),
    /** Hourly vitals of the last 72 h ({@link VitalsHistory#STORE}), in the history's client. */
    VITALS(VitalsHistory.STORE);

    private final String store;

    Part(String store) {
      this.store = store;
    }

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Where a patient's part is: here (in {@code partition}), on another instance, or nowhere now.
   */
  public sealed interface Where {
    /** On this instance; {@code partition} -1 when this instance advertises no address. */
    record Here(int partition) implements Where {}

    record Elsewhere(HostInfo owner) implements Where {}

    record Unavailable(String reason) implements Where {}
  }

  /** A part could not be read now (rebalancing, restoring); says why. */
  public static final class NotQueryable extends RuntimeException {
    public NotQueryable(String message) {
      super(message);
    }
  }

  public AlertsStreams(
      AlertsConfig config,
      LifecycleConfig lifecycle,
      VigilHome home,
      DeadLetters deadLetters,
      AlertMetrics metrics)
      throws Exception {
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
    int port = config.advertisedPort();
    if (port > 0) {
      self = new HostInfo(config.advertisedHost(), port);
      LOG.info("patient history queries advertised at {}:{}", self.host(), self.port());
    } else {
      self = null;
      LOG.warn(
          "HTTP port {} is not fixed: no address advertised, so a patient's history is read"
              + " only from this instance (run one instance only)",
          port);
    }
    LifecycleWatch watch = config.lifecycleWatch();
    lifecycleFailures = new ThreadFailures(watch.threadFailureWindow(), watch.threadFailures());
    historyFailures = new ThreadFailures(watch.threadFailureWindow(), watch.threadFailures());
    streams =
        start(
            new Client(LIFECYCLE, "alert lifecycle", config.applicationId(), lifecycleFailures),
            AlertsTopology.build(lifecycle),
            config,
            home,
            deadLetters,
            metrics);
    history =
        start(
            new Client(
                HISTORY,
                "vitals history",
                config.applicationId() + HISTORY_SUFFIX,
                historyFailures),
            VitalsHistory.topology(),
            config,
            home,
            deadLetters,
            metrics);
    metrics.lifecycleUp(() -> running(streams.state()));
    metrics.vitalsHistoryUp(() -> running(history.state()));
  }

  /**
   * One of the service's Kafka Streams clients: its name in metrics and dead letters ({@code
   * label}), in logs ({@code what}), its application id and the record of its failed threads.
   */
  private record Client(String label, String what, String applicationId, ThreadFailures failures) {}

  private KafkaStreams start(
      Client c,
      org.apache.kafka.streams.Topology topology,
      AlertsConfig config,
      VigilHome home,
      DeadLetters deadLetters,
      AlertMetrics metrics) {
    Properties props =
        AlertsTopology.streamsConfig(
            c.applicationId(), config.bootstrapServers(), config.stateDir(home), deadLetters);
    props.put(StreamsDeadLetterHandler.COMPONENT, c.label());
    props.putAll(config.kafkaSecurity());
    if (self != null) {
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    }
    KafkaStreams client = new KafkaStreams(topology, props);
    Runnable replaced = metrics.streamThreadsReplaced(c.label());
    client.setUncaughtExceptionHandler(
        e -> {
          Instant now = Instant.now();
          c.failures().record(now);
          replaced.run();
          LOG.error(
              "{} stream thread failed; replacing it ({} replacements in the last {})",
              c.what(),
              c.failures().recent(now),
              c.failures().window(),
              e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    // A client in ERROR never runs again until the service restarts: say so where operators look,
    // whoever stopped it (this instance, or another member of the group asking it to shut down).
    client.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.ERROR) {
            LOG.error("{} streams client stopped in ERROR (was {})", c.what(), before);
          }
        });
    client.start();
    return client;
  }

  /** The lifecycle's client: an alarm path. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The vitals history's client: the nurse's charts, not an alarm path. */
  public KafkaStreams.State historyState() {
    return history.state();
  }

  /** The lifecycle's stream threads that failed and were replaced. */
  public ThreadFailures lifecycleFailures() {
    return lifecycleFailures;
  }

  /** The vitals history's stream threads that failed and were replaced. */
  public ThreadFailures historyFailures() {
    return historyFailures;
  }

  /** Whether a client in {@code state} processes and answers queries: running or rebalancing. */
  public static boolean running(KafkaStreams.State state) {
    return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
  }

  private KafkaStreams clientOf(String store) {
    return VitalsHistory.STORE.equals(store) ? history : streams;
  }

  /** This instance's advertised address; null when it advertises none. */
  public HostInfo self() {
    return self;
  }

  /** Which instance holds {@code patient}'s {@code part} now. */
  public Where locate(Part part, PatientKey patient) {
    KafkaStreams client = clientOf(part.store);
    KafkaStreams.State state = client.state();
    if (!running(state)) {
      return new Where.Unavailable(
          "the alert service's streams are " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (self == null) {
      return new Where.Here(-1);
    }
    KeyQueryMetadata owner;
    try {
      owner = client.queryMetadataForKey(part.store, patient, Topics.PATIENT_KEY.serializer());
    } catch (RuntimeException e) {
      return new Where.Unavailable("partitions are being assigned: " + e.getMessage());
    }
    if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
      return new Where.Unavailable("partitions are being assigned");
    }
    return owner.activeHost().equals(self)
        ? new Where.Here(owner.partition())
        : new Where.Elsewhere(owner.activeHost());
  }

  /**
   * The patient's risk scores with window end at or after {@code since}, oldest first, from this
   * instance's store; {@code partition} -1 looks in every partition here.
   *
   * @throws NotQueryable while the store is being restored, moved or the streams are not running
   */
  public List<RiskScore> riskHistory(String patient, Instant since, int partition) {
    List<RiskScore> out = new ArrayList<>();
    ReadOnlyKeyValueStore<String, RiskScore> store =
        store(AlertsTopology.RISK_HISTORY_STORE, QueryableStoreTypes.keyValueStore(), partition);
    try (KeyValueIterator<String, RiskScore> it =
        store.range(
            StoreKeys.history(patient, since.toEpochMilli()),
            StoreKeys.history(patient, Long.MAX_VALUE))) {
      it.forEachRemaining(kv -> out.add(kv.value));
    } catch (InvalidStateStoreException e) {
      throw new NotQueryable("the risk history is being restored or moved: " + e.getMessage());
    }
    return out;
  }

  /**
   * The patient's hourly vital-sign summaries ({@link VitalsHistory}) from {@code from} to {@code
   * to}, from this instance's store; {@code partition} -1 looks in every partition here.
   *
   * @throws NotQueryable while the store is being restored, moved or the streams are not running
   */
  public List<VitalsHistory.Series> vitalsHistory(
      String patient, Instant from, Instant to, int partition) {
    try {
      return VitalsHistory.query(
          store(VitalsHistory.STORE, QueryableStoreTypes.windowStore(), partition),
          patient,
          from,
          to);
    } catch (InvalidStateStoreException e) {
      throw new NotQueryable("the vitals history is being restored or moved: " + e.getMessage());
    }
  }

  private <T> T store(
      String name, org.apache.kafka.streams.state.QueryableStoreType<T> type, int partition) {
    KafkaStreams client = clientOf(name);
    KafkaStreams.State state = client.state();
    if (!running(state)) {
      throw new NotQueryable(
          "the alert service's streams are " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    StoreQueryParameters<T> query = StoreQueryParameters.fromNameAndType(name, type);
    if (partition >= 0) {
      query = query.withPartition(partition);
    }
    try {
      return client.store(query);
    } catch (InvalidStateStoreException e) {
      throw new NotQueryable(name + " is being restored or moved: " + e.getMessage());
    }
  }

  @PreDestroy
  void close() {
    // Leaving the group lets a restarted instance take the partitions at once instead of
    // waiting out the session timeout (45 s) with escalation timers paused.
    KafkaStreams.CloseOptions leave =
        new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true);
    history.close(leave);
    streams.close(leave);
  }
}
