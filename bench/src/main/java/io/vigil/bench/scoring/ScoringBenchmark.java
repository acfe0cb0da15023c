package io.vigil.bench.scoring;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.app.topology.InferenceThreads;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.ScoringTopology;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.RiskScorer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Prints how fast the scoring topology scores due windows with the model bundle, sweeping the
 * inference batch size, next to the bundle's raw batched DL4J rate measured in the same run (the
 * ceiling), and how many bytes of state one patient costs.
 *
 * <p>Run: {@code ./vigil bench scoring} (options {@code -Dbench.patients=2048 -Dbench.model=DIR
 * -Dbench.batches=32,128,512,1024,2048 -Dbench.bursts=10 -Dbench.inferenceThreads=N
 * -Dbench.explainLevel=1.0 -Dbench.keepOutputs=false -Dbench.skipState=false
 * -Dbench.verbose=false}).
 *
 * <p>Method. The topology built by {@link ScoringTopology#build} (the production one) runs in
 * Kafka's TopologyTestDriver (no broker, in-memory stores, one thread), so the figure is the
 * scoring work itself without network or disk: per due window, the trigger reading's processing,
 * the window's assembly from the patient's history row, NEWS2, the batched LSTM call, score
 * encoding, emission, eviction, and the driver's commit after every record (which flushes every
 * store cache; a real application commits every 100 ms). Each patient first gets W hours of
 * readings (not timed); then one reading per patient past the window's end plus grace makes every
 * patient's window due at once (the 20-minute burst of a ward), and the time until all of them are
 * scored is measured over several bursts per batch size (the first one warms up and is not
 * counted). Explanations are off by default (level 1.0; see {@link #explainLevel}).
 *
 * <p>Since 2026-11-26 the driver's captured output (scores and every changelog record, which the
 * driver keeps in memory for tests to read) is read away after each burst, outside the timed part,
 * as a broker would take it: kept, it grew the heap to about 1 GB over a run and the young
 * collections that copied it cost about a tenth of the timed bursts, which no production instance
 * pays. {@code -Dbench.keepOutputs=true} measures the earlier way. The raw DL4J rate is measured
 * after the same inference thread setting as the topology's, warmed up for 1.5 s per batch size.
 */
public final class ScoringBenchmark {
  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  private static final Serializer<VitalObservation> VALUES =
      Topics.VITALS_OBSERVATIONS.valueSerde().serializer();

  private ScoringBenchmark() {}

  public static void main(String[] args) throws Exception {
    int patients = Integer.getInteger("bench.patients", 2048);
    ModelBundle bundle = model();
    System.out.printf(
        Locale.ROOT,
        "model %s, %d-hour windows; %d cores; load average %.1f%n",
        bundle.version(),
        bundle.windowHours(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    int[] batchSizes =
        java.util.Arrays.stream(
                System.getProperty("bench.batches", "32,128,512,1024,2048").split(","))
            .mapToInt(b -> Integer.parseInt(b.trim()))
            .toArray();
    // The raw rate is measured with the inference thread setting the topology applies, set before
    // the first DL4J call as the topology does.
    int threads =
        Integer.getInteger("bench.inferenceThreads", ScoringConfig.defaults().inferenceThreads());
    InferenceThreads.limit(threads);
    keepOutputs = Boolean.getBoolean("bench.keepOutputs");
    System.out.printf(
        Locale.ROOT,
        "%d OpenBLAS thread(s) per DL4J call; %s%n",
        InferenceThreads.current(),
        keepOutputs
            ? "the test driver keeps every output record (the method before 2026-11-26)"
            : "the test driver's captured output is read away after each burst");
    System.out.println();
    System.out.println(
        "batch  raw DL4J windows/s (ceiling)  topology windows/s  topology/raw"
            + "  DL4J share of topology time  CPU µs/window: raw  topology  raw/topology");
    // The JVM's first DL4J calls run slow for seconds (JIT, native op set-up); without this the
    // first batch size's raw rate came out below what the topology itself reached.
    for (int batch : batchSizes) {
      rawRate(bundle, batch, 500_000_000L);
    }
    double lateShare = Double.parseDouble(System.getProperty("bench.lateShare", "0.1"));
    int lateMinutes = Integer.getInteger("bench.lateMinutes", 60);
    int lateBatch = Integer.getInteger("bench.lateBatch", ScoringConfig.defaults().batchSize());
    double onTimeAtLateBatch;
    for (int batch : batchSizes) {
      double raw = rawRate(bundle, batch, 3_000_000_000L);
      double rawCpu = lastCpuNanosPerWindow;
      double topo = topologyRate(bundle, batch, patients, 0, lateMinutes);
      double topoCpu = lastCpuNanosPerWindow;
      System.out.printf(
          Locale.ROOT,
          "%5d  %28.0f  %18.0f  %11.0f%%  %26.0f%%  %17.1f  %8.1f  %11.0f%%%n",
          batch,
          raw,
          topo,
          100 * topo / raw,
          100 * lastInferenceShare,
          rawCpu / 1e3,
          topoCpu / 1e3,
          100 * rawCpu / topoCpu);
    }
    System.out.println();
    if (lateShare > 0) {
      // The baseline again, right before: the same batch, the same warm JVM.
      onTimeAtLateBatch = topologyRate(bundle, lateBatch, patients, 0, lateMinutes);
      long onTimeNanos = lastBurstNanos;
      double withLate = topologyRate(bundle, lateBatch, patients, lateShare, lateMinutes);
      System.out.printf(
          Locale.ROOT,
          "late readings, batch %d: %.0f%% of the patients also send a reading %d min old with"
              + " each burst (%d revisions per burst): first scores %.0f windows/s with them,"
              + " %.0f without (%.0f%%); a burst takes %.0f ms instead of %.0f, %.1f ms more per"
              + " 100 revisions; every burst's first scores are emitted before its revisions%n",
          lateBatch,
          100 * lateShare,
          lateMinutes,
          lastRevisionsPerBurst,
          withLate,
          onTimeAtLateBatch,
          100 * withLate / onTimeAtLateBatch,
          lastBurstNanos / 1e6,
          onTimeNanos / 1e6,
          lastRevisionsPerBurst == 0
              ? 0
              : 100 * (lastBurstNanos - onTimeNanos) / 1e6 / lastRevisionsPerBurst);
      System.out.println();
    }
    if (!Boolean.getBoolean("bench.skipState")) {
      stateSize(bundle);
    }
  }

  /**
   * The bundle a scoring bench measures: {@code -Dbench.model=DIR}'s, else the shipped one, else an
   * untrained network of the same architecture (said on standard output).
   */
  static ModelBundle model() throws IOException {
    String dir = System.getProperty("bench.model");
    if (dir != null && !dir.isBlank()) {
      return ModelBundle.load(Path.of(dir));
    }
    try {
      return ModelBundle.loadDefault();
    } catch (RuntimeException e) {
      System.out.println(
          "The shipped bundle is not on the classpath ("
              + e.getMessage()
              + "); measuring an untrained network from the same factory (same architecture,"
              + " same cost).");
      return ModelBundle.untrained(12, 7);
    }
  }

  /** Windows/s of RiskScorer.rawScore on pre-packed input: the network alone. */
  static double rawRate(ModelBundle bundle, int batch, long nanos) {
    RiskScorer scorer = bundle.scorer();
    float[] packed = new float[batch * bundle.featureSet().features() * bundle.steps()];
    Random random = new Random(1);
    for (int i = 0; i < packed.length; i++) {
      packed[i] = (float) random.nextGaussian();
    }
    // Warm up for a second and a half: DL4J's first calls at a new batch size are many times
    // slower than the steady state (workspace sizing, JIT).
    long warm = System.nanoTime();
    while (System.nanoTime() - warm < 1_500_000_000L) {
      scorer.rawScore(packed, batch);
    }
    long windows = 0;
    long cpuStart = CPU.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      scorer.rawScore(packed, batch);
      windows += batch;
    }
    double rate = windows / ((System.nanoTime() - start) / 1e9);
    lastCpuNanosPerWindow = (CPU.getCurrentThreadCpuTime() - cpuStart) / (double) windows;
    return rate;
  }

  private static TopologyTestDriver driver(
      ModelBundle bundle, ScoringConfig config, PrometheusRegistry registry) throws IOException {
    ScoringMetrics metrics = new ScoringMetrics(registry);
    Properties props =
        ScoringTopology.streamsConfig(
            "unused:9092",
            "scoring-bench",
            Files.createTempDirectory("scoring-bench").toString(),
            1,
            metrics);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    return new TopologyTestDriver(
        ScoringTopology.build(config, bundle, metrics, ScoringTopology.StoreKind.IN_MEMORY),
        props,
        T0);
  }

  /**
   * Windows/s of first scores over the timed bursts. With {@code lateShare} above 0, that share of
   * the patients (the same ones each burst) also sends, right after the burst's on-time readings, a
   * reading {@code lateMinutes} old, which lies in windows already scored: each revises them
   * ({@link #lastRevisionsPerBurst} counts the revisions of the last burst; {@link #lastBurstNanos}
   * is the mean burst time).
   */
  private static double topologyRate(
      ModelBundle bundle, int batch, int patients, double lateShare, int lateMinutes)
      throws IOException {
    ScoringConfig config =
        ScoringConfig.defaults()
            .withWindowHours(bundle.windowHours())
            .withCadence(Duration.ofMinutes(20))
            .withBatchSize(batch)
            .withExplainLevel(explainLevel())
            .withInferenceThreads(InferenceThreads.current());
    PrometheusRegistry registry = new PrometheusRegistry();
    keptScores = 0;
    try (TopologyTestDriver driver = driver(bundle, config, registry)) {
      ByteArraySerializer bytes = new ByteArraySerializer();
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(Topics.VITALS_OBSERVATIONS.name(), bytes, bytes);
      List<byte[]> keys = new ArrayList<>();
      for (int p = 0; p < patients; p++) {
        keys.add(Topics.PATIENT_KEY.encode(new PatientKey("bench", "p" + p)));
      }
      long id = 0;
      // W hours of history, one heart rate and one SpO2 every 20 minutes (not timed). Readings
      // stop 1 minute before each cadence point so that no window is due before the bursts.
      int hours = bundle.windowHours();
      for (int minute = 0; minute < hours * 60; minute += 20) {
        Instant t = T0.plus(Duration.ofMinutes(minute + 10));
        for (byte[] key : keys) {
          in.pipeInput(key, VALUES.serialize(null, reading(id++, Vital.HEART_RATE, 80, t)));
          in.pipeInput(key, VALUES.serialize(null, reading(id++, Vital.OXYGEN_SATURATION, 96, t)));
        }
      }
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      long emitted = readAway(driver);
      // Bursts: one reading per patient at end + grace makes the window due for all patients.
      long scored = 0;
      long nanos = 0;
      long cpuNanos = 0;
      double inference = 0;
      int bursts = Integer.getInteger("bench.bursts", 10);
      for (int burst = 0; burst < bursts; burst++) {
        Instant trigger = T0.plus(Duration.ofHours(hours).plusMinutes(20L * burst + 5));
        List<byte[]> values = new ArrayList<>(keys.size());
        for (int p = 0; p < keys.size(); p++) {
          values.add(VALUES.serialize(null, reading(id++, Vital.HEART_RATE, 81, trigger)));
        }
        int late = (int) Math.round(lateShare * keys.size());
        for (int p = 0; p < late; p++) {
          values.add(
              VALUES.serialize(
                  null,
                  reading(
                      id++,
                      Vital.RESPIRATORY_RATE,
                      22,
                      trigger.minus(Duration.ofMinutes(lateMinutes)))));
        }
        double inferenceBefore = HistogramTotals.inferenceSeconds(registry);
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int v = 0; v < values.size(); v++) {
          in.pipeInput(keys.get(v % keys.size()), values.get(v));
        }
        driver.advanceWallClockTime(config.flushInterval());
        long elapsed = System.nanoTime() - start;
        long cpu = CPU.getCurrentThreadCpuTime() - cpuStart;
        long burstScores = readAway(driver);
        emitted += burstScores;
        lastRevisionsPerBurst = burstScores - keys.size();
        if (Boolean.getBoolean("bench.verbose")) {
          System.out.printf(
              Locale.ROOT,
              "  burst %d: %.0f windows/s, inference %.0f%%%n",
              burst,
              keys.size() / (elapsed / 1e9),
              100
                  * (HistogramTotals.inferenceSeconds(registry) - inferenceBefore)
                  / (elapsed / 1e9));
        }
        if (burst > 0) {
          // The first burst warms the JIT and the per-thread network copy.
          nanos += elapsed;
          cpuNanos += cpu;
          scored += keys.size();
          inference += HistogramTotals.inferenceSeconds(registry) - inferenceBefore;
        }
      }
      emitted += readAway(driver);
      if (emitted < scored) {
        throw new IllegalStateException("expected at least " + scored + " scores, got " + emitted);
      }
      lastInferenceShare = inference / (nanos / 1e9);
      lastBurstNanos = nanos / Math.max(1, bursts - 1);
      lastCpuNanosPerWindow = cpuNanos / (double) scored;
      return scored / (nanos / 1e9);
    }
  }

  private static double lastInferenceShare;

  /**
   * CPU time of the benchmark's thread per window over the last timed part: the raw DL4J loop's
   * (OpenBLAS runs one thread per call, in the caller's thread) or the topology's bursts (the test
   * driver runs the topology in the caller's thread). Unlike windows/s it hardly moves when other
   * processes share the cores, so its ratio compares runs on a busy machine; the JIT compiler and
   * the garbage collector's threads are not in it.
   */
  private static double lastCpuNanosPerWindow;

  private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static long lastBurstNanos;
  private static long lastRevisionsPerBurst;

  /**
   * {@code -Dbench.explainLevel}, default 1.0: a calibrated probability never reaches it, so no
   * window is explained and the figure is the scoring path itself; 0 explains every window (8 more
   * windows per window in one more DL4J call per batch).
   */
  private static double explainLevel() {
    return Double.parseDouble(System.getProperty("bench.explainLevel", "1.0"));
  }

  private static boolean keepOutputs;

  /**
   * Reads away what the test driver captured from every output topic (changelogs included), as a
   * broker would take it, so the driver's heap does not grow with every record the run produced;
   * returns how many scores were among them. With {@code -Dbench.keepOutputs=true} only counts the
   * scores and keeps everything (the earlier method).
   */
  private static long readAway(TopologyTestDriver driver) {
    long scores = 0;
    for (String topic : driver.producedTopicNames()) {
      var out = driver.createOutputTopic(topic, bytes(), bytes());
      if (keepOutputs) {
        if (topic.equals(Topics.RISK_SCORES.name())) {
          scores = out.getQueueSize() - keptScores;
          keptScores = out.getQueueSize();
        }
        continue;
      }
      long n = out.readRecordsToList().size();
      if (topic.equals(Topics.RISK_SCORES.name())) {
        scores += n;
      }
    }
    return scores;
  }

  private static long keptScores;

  private static org.apache.kafka.common.serialization.Deserializer<byte[]> bytes() {
    return new org.apache.kafka.common.serialization.ByteArrayDeserializer();
  }

  /**
   * Bytes of state per patient under a wearable's load: heart rate and SpO2 every minute,
   * respiration rate every 5 minutes, temperature every 30, blood pressure every 4 hours, for W
   * plus the allowed lateness plus 2 hours (steady state: bucket rows stay for the allowed lateness
   * after their window is scored). Logical bytes (keys plus values), before RocksDB's own overhead
   * and compression. {@code -Dbench.stateLatenessHours=24,6} chooses the allowed lateness.
   */
  private static void stateSize(ModelBundle bundle) throws IOException {
    int patients = 20;
    for (String lateness : System.getProperty("bench.stateLatenessHours", "24,6").split(",")) {
      for (int cadence : new int[] {60, 20}) {
        stateSize(bundle, patients, cadence, Duration.ofHours(Integer.parseInt(lateness.trim())));
      }
    }
  }

  private static void stateSize(
      ModelBundle bundle, int patients, int cadence, Duration allowedLateness) throws IOException {
    {
      ScoringConfig config =
          ScoringConfig.defaults()
              .withWindowHours(bundle.windowHours())
              .withCadence(Duration.ofMinutes(cadence))
              .withAllowedLateness(allowedLateness)
              .withExplainLevel(1.0);
      try (TopologyTestDriver driver = driver(bundle, config, new PrometheusRegistry())) {
        ByteArraySerializer bytes = new ByteArraySerializer();
        TestInputTopic<byte[], byte[]> in =
            driver.createInputTopic(Topics.VITALS_OBSERVATIONS.name(), bytes, bytes);
        long id = 0;
        int minutes = (int) (bundle.windowHours() + allowedLateness.toHours() + 2) * 60;
        for (int minute = 0; minute < minutes; minute++) {
          Instant t = T0.plus(Duration.ofMinutes(minute));
          for (int p = 0; p < patients; p++) {
            byte[] key = Topics.PATIENT_KEY.encode(new PatientKey("bench", "patient-" + p));
            List<VitalObservation> now = new ArrayList<>();
            now.add(reading(id++, Vital.HEART_RATE, 70 + minute % 20, t));
            now.add(reading(id++, Vital.OXYGEN_SATURATION, 95 + minute % 4, t));
            if (minute % 5 == 0) {
              now.add(reading(id++, Vital.RESPIRATORY_RATE, 16, t));
            }
            if (minute % 30 == 0) {
              now.add(reading(id++, Vital.BODY_TEMPERATURE, 37.1, t));
            }
            if (minute % 240 == 0) {
              now.add(reading(id++, Vital.SYSTOLIC_BP, 125, t));
              now.add(reading(id++, Vital.DIASTOLIC_BP, 80, t));
              now.add(reading(id++, Vital.MEAN_BP, 95, t));
            }
            for (VitalObservation o : now) {
              in.pipeInput(key, VALUES.serialize(null, o));
            }
          }
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        long total = 0;
        long scores = 0;
        long scoreCount = 0;
        StringBuilder perStore = new StringBuilder();
        for (String store : ScoringTopology.PATIENT_STORES) {
          long size = 0;
          KeyValueStore<Bytes, byte[]> kv = driver.getKeyValueStore(store);
          try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
            while (it.hasNext()) {
              KeyValue<Bytes, byte[]> e = it.next();
              size += e.key.get().length + e.value.length;
              if (store.equals(ScoringTopology.SCORES_STORE)) {
                scoreCount++;
              }
            }
          }
          if (store.equals(ScoringTopology.SCORES_STORE)) {
            scores = size;
          } else {
            total += size;
          }
          perStore.append(String.format(Locale.ROOT, " %s=%d", store, size / patients));
        }
        double perScore = scores / (double) Math.max(1, scoreCount);
        double windowsIn14Days = 14 * 24 * 60.0 / cadence;
        System.out.printf(
            Locale.ROOT,
            "allowed lateness %d h, cadence %d min, ~%d readings per patient-hour: %.1f KiB of"
                + " working state per patient (buckets with reading ids, history, clock, schedule);"
                + " served scores %.0f bytes each, %.0f KiB per patient for 14 days of windows%n"
                + "  bytes per patient by store:%s%n",
            allowedLateness.toHours(),
            cadence,
            60 * 2 + 12 + 2,
            total / 1024.0 / patients,
            perScore,
            perScore * windowsIn14Days / 1024,
            perStore);
      }
    }
  }

  private static VitalObservation reading(long id, Vital vital, double value, Instant time) {
    return SampleRecords.observation("r" + id, vital, value, time);
  }
}
