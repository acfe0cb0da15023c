package io.vigil.scoring.app.topology;

import io.vigil.kit.streams.StreamsClients;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.model.ModelBundle;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The scoring topology: {@code vitals.observations} and {@code patients.context} in, {@code
 * risk.scores} and {@code vitals.rejected} out. Built statically from its configuration and the
 * model bundle; {@link io.vigil.scoring.app.Application} only runs it.
 *
 * <pre>
 * vitals.observations (bytes) ─▶ intake (decode, validate) ─▶ windows (dedup, late, buckets,
 *                                     │                          clocks, due windows, batched
 * patients.context (bytes) ─▶ context │                          NEWS2 + LSTM, revisions) ─▶ risk.scores
 *                                 │   ▼                              │
 *                                 └─▶ vitals.rejected ◀──────────────┘
 * </pre>
 */
public final class ScoringTopology {
  public static final String APPLICATION_ID = "vigil-scoring";

  public static final String VITALS_SOURCE = "vitals-source";
  public static final String CONTEXT_SOURCE = "context-source";
  public static final String INTAKE_PROCESSOR = "intake";
  public static final String CONTEXT_PROCESSOR = "context";
  public static final String WINDOWS_PROCESSOR = "windows";
  public static final String SCORES_SINK = "risk-scores-sink";
  public static final String REJECTED_SINK = "rejected-sink";

  /**
   * Patient | bucket start → summaries of the bucket's readings per vital and the hashes of the
   * readings counted in it; see {@link BucketRow}.
   */
  public static final String BUCKETS_STORE = "scoring-buckets";

  /**
   * Patient → hour slots of the windows scored so far (from the next window's start on) and the
   * time through which buckets are merged into them; see {@link WindowHistory}.
   */
  public static final String HISTORY_STORE = "scoring-history";

  /** Patient → its event-time clock and window schedule. */
  public static final String CLOCKS_STORE = "scoring-clocks";

  /** Next window end | patient: patients with windows still to close, for idle closure. */
  public static final String PENDING_STORE = "scoring-pending";

  /** Window end | patient → wall time it became due: closed windows waiting for inference. */
  public static final String DUE_STORE = "scoring-due";

  /** Patient | window end → RiskScore: what the HTTP API serves. */
  public static final String SCORES_STORE = "scoring-scores";

  /**
   * Patient | window end | revision → a superseded RiskScore of that window (the scores store holds
   * the latest revision): the revision history the HTTP API serves. Swept with expired scores.
   */
  public static final String REVISIONS_STORE = "scoring-revisions";

  /** Patient → latest PatientContext. */
  public static final String CONTEXT_STORE = "scoring-context";

  /** Every store holding per-patient state, for size measurements. */
  public static final String[] PATIENT_STORES = {
    BUCKETS_STORE,
    HISTORY_STORE,
    CLOCKS_STORE,
    PENDING_STORE,
    DUE_STORE,
    SCORES_STORE,
    REVISIONS_STORE,
    CONTEXT_STORE
  };

  /** Where the stores keep their data. */
  public enum StoreKind {
    /** RocksDB on local disk, backed by changelog topics: production. */
    PERSISTENT,
    /**
     * In the heap, backed by changelog topics: for the test driver, which commits (and so flushes
     * RocksDB to disk) after every record.
     */
    IN_MEMORY
  }

  private ScoringTopology() {}

  /**
   * Builds the topology. Each stream thread gets its own network copy from {@code bundle} (DL4J
   * networks are not thread-safe), shared by the tasks that thread runs.
   */
  public static Topology build(ScoringConfig config, ModelBundle bundle, ScoringMetrics metrics) {
    return build(config, bundle, metrics, StoreKind.PERSISTENT);
  }

  /** Builds the topology with the given kind of stores. */
  public static Topology build(
      ScoringConfig config, ModelBundle bundle, ScoringMetrics metrics, StoreKind stores) {
    if (bundle.windowHours() != config.windowHours()) {
      throw new IllegalArgumentException(
          "model bundle "
              + bundle.version()
              + " scores "
              + bundle.windowHours()
              + "-hour windows, the topology is configured for "
              + config.windowHours());
    }
    ThreadLocal<WindowScorer> perThread =
        ThreadLocal.withInitial(
            () -> {
              InferenceThreads.limit(config.inferenceThreads());
              return new WindowScorer(bundle.scorer(), config, metrics);
            });
    return build(config, perThread::get, metrics, stores);
  }

  /** Builds the topology around a per-thread scorer source. */
  public static Topology build(
      ScoringConfig config,
      Supplier<WindowScorer> scorers,
      ScoringMetrics metrics,
      StoreKind stores) {
    Topology topology = new Topology();
    ByteArrayDeserializer bytes = new ByteArrayDeserializer();
    topology.addSource(
        Topology.AutoOffsetReset.EARLIEST,
        VITALS_SOURCE,
        new ObservationTimeExtractor(),
        bytes,
        bytes,
        Topics.VITALS_OBSERVATIONS.name());
    topology.addSource(
        Topology.AutoOffsetReset.EARLIEST,
        CONTEXT_SOURCE,
        new NoTimeExtractor(),
        bytes,
        bytes,
        Topics.PATIENTS_CONTEXT.name());
    // Consecutive failed records per task and processor, shared by the processors of every stream
    // thread (a replaced thread's successor continues the count).
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    topology.addProcessor(
        INTAKE_PROCESSOR,
        () ->
            RecordGuard.observations(
                INTAKE_PROCESSOR, new IntakeProcessor(metrics), metrics, failures),
        VITALS_SOURCE);
    topology.addProcessor(
        CONTEXT_PROCESSOR,
        () ->
            RecordGuard.contexts(
                CONTEXT_PROCESSOR, new ContextProcessor(metrics), metrics, failures),
        CONTEXT_SOURCE);
    topology.addProcessor(
        WINDOWS_PROCESSOR,
        () ->
            RecordGuard.readings(
                WINDOWS_PROCESSOR,
                new WindowProcessor(config, metrics, scorers),
                metrics,
                failures),
        INTAKE_PROCESSOR);
    for (String store : PATIENT_STORES) {
      topology.addStateStore(
          Stores.keyValueStoreBuilder(supplier(store, stores), Serdes.Bytes(), Serdes.ByteArray())
              .withCachingEnabled(),
          store.equals(CONTEXT_STORE)
              ? new String[] {CONTEXT_PROCESSOR, WINDOWS_PROCESSOR}
              : new String[] {WINDOWS_PROCESSOR});
    }
    @SuppressWarnings("unchecked")
    Serializer<Object> keySerializer =
        (Serializer<Object>) (Serializer<?>) Topics.PATIENT_KEY.serializer();
    // Scores arrive encoded: the windows processor encodes each once for both the topic and the
    // scores store.
    @SuppressWarnings("unchecked")
    Serializer<Object> scoreSerializer =
        (Serializer<Object>) (Serializer<?>) new ByteArraySerializer();
    @SuppressWarnings("unchecked")
    Serializer<Object> rejectedSerializer =
        (Serializer<Object>) (Serializer<?>) Topics.VITALS_REJECTED.valueSerde().serializer();
    topology.addSink(
        SCORES_SINK, Topics.RISK_SCORES.name(), keySerializer, scoreSerializer, WINDOWS_PROCESSOR);
    topology.addSink(
        REJECTED_SINK,
        Topics.VITALS_REJECTED.name(),
        keySerializer,
        rejectedSerializer,
        INTAKE_PROCESSOR,
        CONTEXT_PROCESSOR,
        WINDOWS_PROCESSOR);
    return topology;
  }

  private static KeyValueBytesStoreSupplier supplier(String name, StoreKind kind) {
    return kind == StoreKind.PERSISTENT
        ? Stores.persistentKeyValueStore(name)
        : Stores.inMemoryKeyValueStore(name);
  }

  /**
   * Kafka Streams settings: exactly_once_v2, earliest offsets, and the error handling of the
   * topology.
   *
   * <ul>
   *   <li>Deserialisation: {@link DeserializationFailures} counts the record in {@code metrics},
   *       logs its origin and skips it (the sources read bytes, so this only guards against the
   *       unforeseen; bad records are decoded, validated and dead-lettered by the processors).
   *   <li>Processing: each processor is wrapped in a {@link RecordGuard}, which dead-letters a
   *       record its processor fails on and goes on; what the guard lets through (Kafka Streams'
   *       own exceptions, punctuations, a run of consecutive failures) reaches {@link
   *       LogAndFailProcessingExceptionHandler}, which fails the stream thread.
   *   <li>Production: Kafka's default, failing the stream thread, so that no score or dead letter
   *       is dropped silently (dead letters are bounded in size to fit the topic).
   * </ul>
   */
  public static Properties streamsConfig(
      String bootstrapServers,
      String applicationId,
      String stateDir,
      int threads,
      ScoringMetrics metrics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeserializationFailures.class);
    props.put(DeserializationFailures.METRICS_CONFIG, metrics);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailProcessingExceptionHandler.class);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return StreamsClients.shared(props);
  }

  /** Context records must not move stream time (their timestamps are append times, i.e. now). */
  static final class NoTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(
        org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> record,
        long partitionTime) {
      return 0L;
    }
  }
}
