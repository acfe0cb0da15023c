package io.vigil.bench.scoring;

import io.micronaut.context.ApplicationContext;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.Application;
import io.vigil.scoring.app.ScoringRuntime;
import io.vigil.scoring.app.ScoringService;
import io.vigil.scoring.app.ServiceConfig;
import io.vigil.scoring.app.topology.InferenceThreads;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.testkit.NativeThreads;
import io.vigil.testkit.TestKafka;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Prints how fast a real scoring instance, on a real broker with RocksDB state and exactly-once
 * processing, turns a burst of due windows into committed risk scores, next to the bundle's raw
 * batched DL4J rate measured in the same run.
 *
 * <p>Run: {@code ./vigil bench scoring-broker} (options {@code -Dbench.patients=2048
 * -Dbench.batches=512,1024 -Dbench.bursts=5 -Dbench.threads=N -Dbench.model=DIR
 * -Dbench.verbose=false}; verbose adds each burst's CPU time per thread, with the JIT compiler, GC
 * and RocksDB's native threads read from {@code /proc/self/task}).
 *
 * <p>Method. One JVM holds a single-node KRaft broker ({@link KafkaClusterTestKit}, combined broker
 * and controller, replication factors 1), the scoring instance and the benchmark's clients. The
 * catalogue topics are created as in production ({@link TopicAdmin#ensureTopics}, 6 partitions).
 * The instance is the production one: the service started by {@link Application} from its
 * environment variables (so {@code exactly_once_v2}, RocksDB stores, the production commit interval
 * of 100 ms, the default stream threads (one per core) unless {@code -Dbench.threads}, one native
 * thread per DL4J call, the default explanation level 0.3 and its HTTP server on a free port), with
 * a 20-minute cadence, windows aligned on the clock for every patient ({@code
 * SCORING_WINDOW_PHASE=aligned}: a burst is every patient's window due at once, the worst case the
 * default per-patient phases spread out), the given batch size, and a fresh application id, state
 * directory and tenant per batch size.
 *
 * <p>Each patient first gets W hours of history (one heart rate and one SpO2 every 20 minutes, as
 * in {@link ScoringBenchmark}), produced with an idempotent {@code acks=all} producer; the instance
 * scores those windows as they close (about 35 per patient, not timed) and the benchmark waits
 * until the application's committed offsets reach the end of {@code vitals.observations} and no
 * score came for 3 s. Then each burst is one heart-rate reading per patient at the next window's
 * end plus grace, which makes every patient's window due at once; the time measured runs from the
 * first send of the burst until all N scores are visible to a {@code read_committed} consumer of
 * {@code risk.scores}. It therefore includes the producer round trip, the instance's polling, the
 * wall-clock punctuation (500 ms) that drains due windows smaller than a batch, the RocksDB writes
 * and changelog records, the wait for the next commit (every 100 ms) and the transaction commit,
 * and the consumer's fetch. Before each burst the benchmark waits (at most 30 s) until the JIT
 * compiler threads are idle, as the ingest benchmark does. The first burst warms up and is not
 * counted; the median of the others is printed, with a breakdown per burst: when the first and last
 * DL4J batch began (the scores' {@code scoredAt}), when the broker appended the last score (its
 * LogAppendTime), DL4J time, calls and windows per call, commits and CPU time.
 *
 * <p>The due windows live in one store per task (partition), so a burst of N patients gives each of
 * the 6 tasks about N/6 due windows; below the batch size they are scored on the 500 ms wall-clock
 * punctuation, not at once, and batch sizes above N/6 behave alike.
 *
 * <p>Every burst is checked: exactly N scores, one per patient, all for the expected window end,
 * and no further score arrives in the second after it (nor after the last burst); anything else
 * stops the run with an error. The raw rate is {@code RiskScorer.rawScore} on packed input with the
 * production inference thread setting, as in {@link ScoringBenchmark}, measured while the broker is
 * idle.
 */
public final class ScoringBrokerBenchmark {
  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  private static final String OBSERVATIONS = Topics.VITALS_OBSERVATIONS.name();
  private static final int CADENCE_MINUTES = 20;
  private static final int GRACE_MINUTES = 5;

  private ScoringBrokerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int patients = Integer.getInteger("bench.patients", 2048);
    int bursts = Integer.getInteger("bench.bursts", 5);
    if (bursts < 2) {
      throw new IllegalArgumentException("bench.bursts must be at least 2 (the first warms up)");
    }
    int[] batchSizes =
        Arrays.stream(System.getProperty("bench.batches", "512,1024").split(","))
            .mapToInt(b -> Integer.parseInt(b.trim()))
            .toArray();
    ModelBundle bundle = ScoringBenchmark.model();
    // As the topology does before its first DL4J call.
    InferenceThreads.limit(ScoringConfig.defaults().inferenceThreads());
    System.out.printf(
        Locale.ROOT,
        "model %s, %d-hour windows; %d cores; load average %.1f; %d patients, %d bursts;"
            + " %d OpenBLAS thread(s) per DL4J call%n",
        bundle.version(),
        bundle.windowHours(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        patients,
        bursts,
        InferenceThreads.current());
    for (int batch : batchSizes) {
      ScoringBenchmark.rawRate(bundle, batch, 500_000_000L);
    }

    TestKafka cluster = TestKafka.startInJvm(1);
    AutoCloseable stopBroker = cluster::stop;
    try (stopBroker;
        Admin admin = Admin.create(adminProps(cluster.bootstrapServers()))) {
      String bootstrap = cluster.bootstrapServers();
      TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
      try (KafkaProducer<PatientKey, VitalObservation> producer = producer(bootstrap)) {
        for (int batch : batchSizes) {
          double raw = ScoringBenchmark.rawRate(bundle, batch, 3_000_000_000L);
          System.out.printf(
              Locale.ROOT,
              "%nbatch %d: raw DL4J %,.0f windows/s (ceiling, broker idle)%n",
              batch,
              raw);
          double[] rates = run(bundle, bootstrap, admin, producer, batch, patients, bursts);
          double median = median(Arrays.copyOfRange(rates, 1, rates.length));
          System.out.printf(
              Locale.ROOT,
              "batch %d: median %,.0f windows/s over bursts 2-%d = %.0f%% of raw DL4J %,.0f;"
                  + " load average %.1f%n",
              batch,
              median,
              bursts,
              100 * median / raw,
              raw,
              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
      }
    }
  }

  /** One configuration: a fresh instance, its load, then the timed bursts; windows/s per burst. */
  private static double[] run(
      ModelBundle bundle,
      String bootstrap,
      Admin admin,
      KafkaProducer<PatientKey, VitalObservation> producer,
      int batch,
      int patients,
      int bursts)
      throws Exception {
    // The previous configuration's readings would otherwise be read again by the new application.
    clearObservations(admin);
    String tenant = "bench-b" + batch;
    String applicationId = "scoring-bench-b" + batch + "-" + System.currentTimeMillis();
    Path state = Files.createTempDirectory("scoring-broker-bench");
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", applicationId);
    env.put("SCORING_STATE_DIR", state.toString());
    env.put("SCORING_CADENCE_MINUTES", Integer.toString(CADENCE_MINUTES));
    env.put("SCORING_GRACE_MINUTES", Integer.toString(GRACE_MINUTES));
    // Every patient's window on the same end, so that one burst makes all of them due at once.
    env.put("SCORING_WINDOW_PHASE", "aligned");
    env.put("SCORING_BATCH_SIZE", Integer.toString(batch));
    String threads = System.getProperty("bench.threads");
    if (threads != null && !threads.isBlank()) {
      env.put("SCORING_THREADS", threads.trim());
    }
    List<PatientKey> keys = new ArrayList<>(patients);
    for (int p = 0; p < patients; p++) {
      keys.add(new PatientKey(tenant, "p" + p));
    }
    double[] rates = new double[bursts];
    try (ApplicationContext app = Application.start(env, bundle);
        KafkaConsumer<PatientKey, RiskScore> scores = scoreConsumer(bootstrap)) {
      if (app.getBean(ScoringConfig.class).graceMs()
          != Duration.ofMinutes(GRACE_MINUTES).toMillis()) {
        throw new IllegalStateException("grace is not " + GRACE_MINUTES + " minutes");
      }
      ScoringService service = app.getBean(ScoringRuntime.class).service().orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "  instance %s: %d stream thread(s), exactly_once_v2, RocksDB in %s%n",
          applicationId,
          app.getBean(ServiceConfig.class).streamThreads(),
          state);
      long loadStart = System.nanoTime();
      long id = 0;
      int hours = bundle.windowHours();
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (int minute = 0; minute < hours * 60; minute += CADENCE_MINUTES) {
        Instant t = T0.plus(Duration.ofMinutes(minute + 10));
        for (PatientKey key : keys) {
          acks.add(
              send(producer, key, SampleRecords.observation("r" + id++, Vital.HEART_RATE, 80, t)));
          acks.add(
              send(
                  producer,
                  key,
                  SampleRecords.observation("r" + id++, Vital.OXYGEN_SATURATION, 96, t)));
        }
      }
      for (var ack : acks) {
        ack.get(60, TimeUnit.SECONDS);
      }
      awaitConsumed(admin, applicationId, service.streams(), Duration.ofMinutes(10));
      long loadScores = drainQuietly(scores, tenant, Duration.ofSeconds(3));
      System.out.printf(
          Locale.ROOT,
          "  load: %,d readings produced and consumed, %,d scores, %.1f s (not timed)%n",
          id,
          loadScores,
          (System.nanoTime() - loadStart) / 1e9);

      PrometheusRegistry registry = service.registry();
      Set<String> seen = new HashSet<>();
      for (int burst = 0; burst < bursts; burst++) {
        Instant windowEnd = T0.plus(Duration.ofHours(hours).plusMinutes(CADENCE_MINUTES * burst));
        Instant trigger = windowEnd.plus(Duration.ofMinutes(GRACE_MINUTES));
        List<VitalObservation> values = new ArrayList<>(patients);
        for (int p = 0; p < patients; p++) {
          values.add(SampleRecords.observation("r" + id++, Vital.HEART_RATE, 81, trigger));
        }
        // As the ingest benchmark does: on two cores the JIT compiler threads, still busy after the
        // load, would otherwise take CPU from the burst (half a second of a burst in a trial run).
        long jitWait =
            NativeThreads.awaitCompilerIdle(Duration.ofSeconds(2), Duration.ofSeconds(30));
        double inferenceBefore = HistogramTotals.inferenceSeconds(registry);
        HistogramTotals batchesBefore = HistogramTotals.of(registry, "vigil_scoring_batch_windows");
        double commitsBefore = threadMetric(service.streams(), "commit-total");
        long processCpuBefore = processCpuNanos();
        Map<String, Long> threadCpuBefore = threadCpuNanos();
        Map<String, Long> nativeCpuBefore = NativeThreads.cpuNanos();
        long startWall = System.currentTimeMillis();
        long start = System.nanoTime();
        for (int p = 0; p < patients; p++) {
          send(producer, keys.get(p), values.get(p));
        }
        producer.flush();
        long sent = System.nanoTime();
        List<ConsumerRecord<PatientKey, RiskScore>> got =
            collect(scores, tenant, patients, Duration.ofMinutes(2));
        long elapsed = System.nanoTime() - start;
        double inference = HistogramTotals.inferenceSeconds(registry) - inferenceBefore;
        double processCpu = (processCpuNanos() - processCpuBefore) / 1e6;
        Map<String, Long> threadCpu = threadCpuNanos();
        threadCpuBefore.forEach((name, nanos) -> threadCpu.merge(name, -nanos, Long::sum));
        Map<String, Long> nativeCpu = NativeThreads.cpuNanos();
        nativeCpuBefore.forEach((name, nanos) -> nativeCpu.merge(name, -nanos, Long::sum));
        double streamCpu =
            threadCpu.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("-StreamThread-#"))
                    .mapToLong(Map.Entry::getValue)
                    .sum()
                / 1e6;
        HistogramTotals batchesAfter = HistogramTotals.of(registry, "vigil_scoring_batch_windows");
        double calls = batchesAfter.count() - batchesBefore.count();
        double commits = threadMetric(service.streams(), "commit-total") - commitsBefore;
        long explained = verify(got, windowEnd, patients, seen);
        // Where the time went: scoredAt is the instance's wall clock as a batch began scoring, the
        // record timestamp the broker's append time (LogAppendTime), both before the commit.
        long firstScored = Long.MAX_VALUE;
        long lastScored = 0;
        long lastAppended = 0;
        for (ConsumerRecord<PatientKey, RiskScore> r : got) {
          long scoredAt = r.value().getScoredAt().toEpochMilli();
          firstScored = Math.min(firstScored, scoredAt);
          lastScored = Math.max(lastScored, scoredAt);
          lastAppended = Math.max(lastAppended, r.timestamp());
        }
        // Anything arriving after the N scores is a duplicate or a stray window: fail loudly.
        long extra = drainQuietly(scores, tenant, Duration.ofSeconds(1));
        if (extra != 0) {
          throw new IllegalStateException(
              "burst " + burst + ": " + extra + " scores arrived after the expected " + patients);
        }
        rates[burst] = patients / (elapsed / 1e9);
        System.out.printf(
            Locale.ROOT,
            "  burst %d%s: %,.0f windows/s (after %.1f s for the JIT compiler to go idle; %.0f ms: sent by %.0f, first batch began at %d, last at %d,"
                + " last appended at %d ms; DL4J %.0f ms in %.0f calls of %.0f windows;"
                + " %.0f commits; CPU %.0f ms in the JVM, %.0f ms in the stream threads), %d scores"
                + " for %s, %d explained%n",
            burst + 1,
            burst == 0 ? " (warm-up)" : "",
            rates[burst],
            jitWait / 1000.0,
            elapsed / 1e6,
            (sent - start) / 1e6,
            firstScored - startWall,
            lastScored - startWall,
            lastAppended - startWall,
            inference * 1000,
            calls,
            calls == 0 ? 0 : (batchesAfter.sum() - batchesBefore.sum()) / calls,
            commits,
            processCpu,
            streamCpu,
            got.size(),
            windowEnd,
            explained);
        if (Boolean.getBoolean("bench.verbose")) {
          printTopThreads(threadCpu, nativeCpu, processCpu);
        }
      }
    }
    return rates;
  }

  /**
   * Checks a burst's scores: one per patient, all for the burst's window end, none seen before.
   * Returns how many carried explanations.
   */
  private static long verify(
      List<ConsumerRecord<PatientKey, RiskScore>> got,
      Instant windowEnd,
      int patients,
      Set<String> seen) {
    Set<String> patientsScored = new HashSet<>();
    long explained = 0;
    for (ConsumerRecord<PatientKey, RiskScore> r : got) {
      RiskScore score = r.value();
      if (!score.getWindowEnd().equals(windowEnd)) {
        throw new IllegalStateException(
            "score for "
                + PatientKeys.format(r.key())
                + " has window end "
                + score.getWindowEnd()
                + ", expected "
                + windowEnd);
      }
      String id = PatientKeys.format(r.key()) + "@" + score.getWindowEnd();
      if (!seen.add(id) || !patientsScored.add(PatientKeys.format(r.key()))) {
        throw new IllegalStateException("window scored twice: " + id);
      }
      if (!score.getContributors().isEmpty()) {
        explained++;
      }
    }
    if (patientsScored.size() != patients) {
      throw new IllegalStateException(
          "expected " + patients + " distinct scores, got " + patientsScored.size());
    }
    return explained;
  }

  /** Polls until {@code n} scores of the tenant arrived; fails after the timeout. */
  private static List<ConsumerRecord<PatientKey, RiskScore>> collect(
      KafkaConsumer<PatientKey, RiskScore> consumer, String tenant, int n, Duration timeout) {
    List<ConsumerRecord<PatientKey, RiskScore>> got = new ArrayList<>(n);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (got.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + got.size() + " of " + n + " scores within " + timeout);
      }
      for (ConsumerRecord<PatientKey, RiskScore> r : consumer.poll(Duration.ofMillis(5))) {
        if (r.key().getTenant().equals(tenant)) {
          got.add(r);
        }
      }
    }
    return got;
  }

  /** Reads scores until none of the tenant came for {@code quiet}; returns how many came. */
  private static long drainQuietly(
      KafkaConsumer<PatientKey, RiskScore> consumer, String tenant, Duration quiet) {
    long count = 0;
    long lastSeen = System.nanoTime();
    while (System.nanoTime() - lastSeen < quiet.toNanos()) {
      for (ConsumerRecord<PatientKey, RiskScore> r : consumer.poll(Duration.ofMillis(100))) {
        if (r.key().getTenant().equals(tenant)) {
          count++;
          lastSeen = System.nanoTime();
        }
      }
    }
    return count;
  }

  /** Waits until the application committed every offset of {@code vitals.observations}. */
  private static void awaitConsumed(
      Admin admin, String applicationId, KafkaStreams streams, Duration timeout) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < Topics.VITALS_OBSERVATIONS.partitions(); p++) {
      latest.put(new TopicPartition(OBSERVATIONS, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends =
        admin.listOffsets(latest).all().get().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (streams.state() == KafkaStreams.State.ERROR
          || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the scoring instance stopped: " + streams.state());
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
      long lag = 0;
      for (var end : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        lag += end.getValue() - (c == null ? 0 : c.offset());
      }
      if (lag <= 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("lag still " + lag + " after " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /** Deletes every record of {@code vitals.observations}, so a new application starts empty. */
  static void clearObservations(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < Topics.VITALS_OBSERVATIONS.partitions(); p++) {
      latest.put(new TopicPartition(OBSERVATIONS, p), OffsetSpec.latest());
    }
    Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
    admin.deleteRecords(delete).all().get();
  }

  private static java.util.concurrent.Future<?> send(
      KafkaProducer<PatientKey, VitalObservation> producer,
      PatientKey key,
      VitalObservation value) {
    return producer.send(new ProducerRecord<>(OBSERVATIONS, key, value));
  }

  static KafkaProducer<PatientKey, VitalObservation> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(
        props,
        Topics.VITALS_OBSERVATIONS.keySerde().serializer(),
        Topics.VITALS_OBSERVATIONS.valueSerde().serializer());
  }

  /** A read_committed consumer of every partition of risk.scores, from their current end. */
  static KafkaConsumer<PatientKey, RiskScore> scoreConsumer(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    KafkaConsumer<PatientKey, RiskScore> consumer =
        new KafkaConsumer<>(
            props,
            Topics.RISK_SCORES.keySerde().deserializer(),
            Topics.RISK_SCORES.valueSerde().deserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < Topics.RISK_SCORES.partitions(); p++) {
      partitions.add(new TopicPartition(Topics.RISK_SCORES.name(), p));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  static Properties adminProps(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  /** A stream-thread metric summed over the instance's threads (e.g. commit-total). */
  private static double threadMetric(KafkaStreams streams, String name) {
    return streams.metrics().entrySet().stream()
        .filter(
            e ->
                e.getKey().name().equals(name)
                    && e.getKey().group().equals("stream-thread-metrics"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  /** CPU time of this whole JVM (broker, instance, clients). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of every live Java thread, by name with digits folded (so the broker's request
   * handlers add up); GC and JIT compiler threads are not among them.
   */
  private static Map<String, Long> threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byName = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          byName.merge(
              info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}|\\d+", "#"),
              cpu,
              Long::sum);
        }
      }
    }
    return byName;
  }

  /** The burst's busiest Java threads, then the JVM's own and RocksDB's native threads. */
  private static void printTopThreads(
      Map<String, Long> threadCpu, Map<String, Long> nativeCpu, double processCpuMs) {
    long attributed = threadCpu.values().stream().mapToLong(Long::longValue).sum();
    threadCpu.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT, "      %6.0f ms  %s%n", e.getValue() / 1e6, e.getKey()));
    long natives = 0;
    for (var e : nativeCpu.entrySet()) {
      natives += e.getValue();
      System.out.printf(Locale.ROOT, "      %6.0f ms  %s%n", e.getValue() / 1e6, e.getKey());
    }
    System.out.printf(
        Locale.ROOT,
        "      %6.0f ms  other (the rest of the JVM)%n",
        processCpuMs - (attributed + natives) / 1e6);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
