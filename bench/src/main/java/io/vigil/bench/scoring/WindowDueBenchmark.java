package io.vigil.bench.scoring;

import io.micronaut.context.ApplicationContext;
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
import io.vigil.scoring.app.topology.InferenceThreads;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.WindowPhase;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.testkit.TestKafka;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Prints how long a due window waits for its risk score while readings stream in with event time
 * running faster than the wall clock, for several patient counts at the same readings/s, with every
 * patient's windows ending on the same cadence boundaries ({@code SCORING_WINDOW_PHASE=aligned})
 * and with each patient's own phase ({@code patient}), in one run on one machine.
 *
 * <p>Run: {@code ./vigil bench scoring-due} (options {@code -Dbench.patients=2500,25000
 * -Dbench.phases=aligned,patient -Dbench.rate=10000 -Dbench.speed=60 -Dbench.cadence=20
 * -Dbench.seconds=70 -Dbench.warmup=30 -Dbench.threads=N -Dbench.model=DIR}).
 *
 * <p>Method. One JVM holds a single-node KRaft broker (as {@link ScoringBrokerBenchmark}), the
 * benchmark's producer and consumer, and for each configuration a fresh production scoring instance
 * (the service {@link Application} starts from its environment variables: exactly_once_v2, RocksDB,
 * the production commit interval, batches of 512, the default access settings), with the given
 * cadence (20 minutes by default), 5 minutes' grace and the phase setting. Event time runs {@code
 * speed} times as fast as the wall clock from a start on the cadence grid 12 hours back. The
 * producer sends {@code rate} readings per second in all (heart rate, SpO2, respiratory rate and
 * systolic pressure in turn, normal values), each patient reading every {@code patients / rate}
 * wall seconds, the patients' readings evenly interleaved; a {@code read_committed} consumer of
 * {@code risk.scores} notes when each score arrives.
 *
 * <p>Each patient's windows run on the patient's own clock: a window is due when the patient's
 * first reading at or after its end plus grace is sent. The latency of a window runs from that send
 * to the arrival of its score at the consumer (producer round trip, polling, the 500 ms
 * punctuation, DL4J, RocksDB, the commit and the consumer's fetch). It is also printed from the
 * wall time at which event time passed the window's end plus grace, as a probe outside the service
 * sees it, which adds the wait for the patient's next reading (up to {@code patients / rate}
 * seconds). Windows due in the first {@code warmup} seconds are not counted. After {@code seconds}
 * the producer stops, and the benchmark waits until every window with data whose end plus grace a
 * sent reading reached has exactly one score; a missing or repeated score stops the run with an
 * error. It prints p50, p99 and max latency, the most windows that came due within one wall-clock
 * second, the mean of {@code vigil_scoring_emit_lag_seconds} (due to emitted, inside the instance)
 * and the load average.
 */
public final class WindowDueBenchmark {
  private static final String EMIT_LAG = "vigil_scoring_emit_lag_seconds";
  private static final int GRACE_MINUTES = 5;
  private static final Vital[] VITALS = {
    Vital.HEART_RATE, Vital.OXYGEN_SATURATION, Vital.RESPIRATORY_RATE, Vital.SYSTOLIC_BP
  };
  private static final double[] VALUES = {78, 97, 16, 124};

  private WindowDueBenchmark() {}

  /** One configuration's figures. */
  record Result(
      int patients,
      WindowPhase phase,
      long windows,
      long p50,
      long p99,
      long max,
      long probeP50,
      long probeP99,
      int peakDuePerSecond,
      double emitLagMean,
      double sentRate,
      double load) {}

  public static void main(String[] args) throws Exception {
    int[] patientCounts = ints(System.getProperty("bench.patients", "2500,25000"));
    List<WindowPhase> phases =
        Arrays.stream(System.getProperty("bench.phases", "aligned,patient").split(","))
            .map(WindowPhase::parse)
            .toList();
    int rate = Integer.getInteger("bench.rate", 10_000);
    int speed = Integer.getInteger("bench.speed", 60);
    int cadence = Integer.getInteger("bench.cadence", 20);
    int seconds = Integer.getInteger("bench.seconds", 70);
    int warmup = Integer.getInteger("bench.warmup", 30);
    ModelBundle bundle = ScoringBenchmark.model();
    InferenceThreads.limit(ScoringConfig.defaults().inferenceThreads());
    System.out.printf(
        Locale.ROOT,
        "model %s, %d-hour windows every %d min, grace %d min; %d cores; load average %.1f;"
            + " %,d readings/s, event time %dx; %d s per run, first %d s not counted%n",
        bundle.version(),
        bundle.windowHours(),
        cadence,
        GRACE_MINUTES,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        rate,
        speed,
        seconds,
        warmup);

    List<Result> results = new ArrayList<>();
    TestKafka cluster = TestKafka.startInJvm(1);
    AutoCloseable stopBroker = cluster::stop;
    try (stopBroker;
        Admin admin = Admin.create(ScoringBrokerBenchmark.adminProps(cluster.bootstrapServers()))) {
      String bootstrap = cluster.bootstrapServers();
      TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
      for (int patients : patientCounts) {
        for (WindowPhase phase : phases) {
          Result r =
              run(bundle, bootstrap, admin, patients, phase, rate, speed, cadence, seconds, warmup);
          results.add(r);
          System.out.printf(
              Locale.ROOT,
              "  %,d patients, %s: %,d windows, due -> score p50 %,d ms, p99 %,d ms, max %,d ms"
                  + " (from end + grace in event time: p50 %,d ms, p99 %,d ms);"
                  + " at most %,d due in one second; emit lag mean %.3f s; %,.0f readings/s"
                  + " sent; load average %.1f%n",
              r.patients(),
              phaseName(r.phase()),
              r.windows(),
              r.p50(),
              r.p99(),
              r.max(),
              r.probeP50(),
              r.probeP99(),
              r.peakDuePerSecond(),
              r.emitLagMean(),
              r.sentRate(),
              r.load());
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n| patients | phase | windows | p50 | p99 | max | from end + grace: p50 | p99 |"
            + " most due in 1 s |%n");
    System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|---|---|%n");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "| %,d | %s | %,d | %,d ms | %,d ms | %,d ms | %,d ms | %,d ms | %,d |%n",
          r.patients(),
          phaseName(r.phase()),
          r.windows(),
          r.p50(),
          r.p99(),
          r.max(),
          r.probeP50(),
          r.probeP99(),
          r.peakDuePerSecond());
    }
    for (int patients : patientCounts) {
      Result aligned = find(results, patients, WindowPhase.ALIGNED);
      Result phased = find(results, patients, WindowPhase.PATIENT);
      if (aligned != null && phased != null) {
        System.out.printf(
            Locale.ROOT,
            "%,d patients: aligned / patient phase = %.1fx at p50, %.1fx at p99, %.1fx at max%n",
            patients,
            aligned.p50() / (double) Math.max(1, phased.p50()),
            aligned.p99() / (double) Math.max(1, phased.p99()),
            aligned.max() / (double) Math.max(1, phased.max()));
      }
    }
  }

  private static Result run(
      ModelBundle bundle,
      String bootstrap,
      Admin admin,
      int patients,
      WindowPhase phase,
      int rate,
      int speed,
      int cadenceMinutes,
      int seconds,
      int warmupSeconds)
      throws Exception {
    ScoringBrokerBenchmark.clearObservations(admin);
    String name = phaseName(phase);
    String tenant = "due-" + name + "-" + patients;
    String applicationId =
        "scoring-due-" + name + "-" + patients + "-" + System.currentTimeMillis();
    Path state = Files.createTempDirectory("scoring-due-bench");
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", applicationId);
    env.put("SCORING_STATE_DIR", state.toString());
    env.put("SCORING_CADENCE_MINUTES", Integer.toString(cadenceMinutes));
    env.put("SCORING_GRACE_MINUTES", Integer.toString(GRACE_MINUTES));
    env.put("SCORING_WINDOW_PHASE", name);
    String threads = System.getProperty("bench.threads");
    if (threads != null && !threads.isBlank()) {
      env.put("SCORING_THREADS", threads.trim());
    }
    // The windowing the instance must run with; checked against it once it runs.
    ScoringConfig config =
        ScoringConfig.defaults()
            .withWindowHours(bundle.windowHours())
            .withCadence(Duration.ofMinutes(cadenceMinutes))
            .withGrace(Duration.ofMinutes(GRACE_MINUTES))
            .withWindowPhase(phase);
    long cadence = config.cadenceMs();
    long grace = config.graceMs();

    List<PatientKey> keys = new ArrayList<>(patients);
    long[] phases = new long[patients];
    for (int p = 0; p < patients; p++) {
      keys.add(new PatientKey(tenant, "p" + p));
      phases[p] = config.phaseMs(keys.get(p));
    }
    // Each patient reads every `interval` ms of event time; reading j is patient j % N's
    // (j / N)-th, at t0 + (j / N) * interval + (j % N) * interval / N.
    long interval = Math.round((double) patients / rate * speed * 1000);
    long t0 =
        Math.floorDiv(System.currentTimeMillis() - Duration.ofHours(12).toMillis(), cadence)
            * cadence;
    long readingsPerPatient = (long) seconds * speed * 1000 / interval + 2;
    int total = Math.toIntExact(readingsPerPatient * patients);
    long[] sentWall = new long[total];
    Map<Long, Long> arrived = new ConcurrentHashMap<>();
    AtomicLong repeated = new AtomicLong();
    AtomicReference<String> repeatedExample = new AtomicReference<>();

    Result result;
    try (ApplicationContext app = Application.start(env, bundle);
        KafkaConsumer<PatientKey, RiskScore> scores =
            ScoringBrokerBenchmark.scoreConsumer(bootstrap);
        KafkaProducer<PatientKey, VitalObservation> producer =
            ScoringBrokerBenchmark.producer(bootstrap)) {
      if (!app.getBean(ScoringConfig.class).equals(config)) {
        throw new IllegalStateException(
            "the instance runs with " + app.getBean(ScoringConfig.class) + ", not " + config);
      }
      ScoringService service = app.getBean(ScoringRuntime.class).service().orElseThrow();
      AtomicBoolean consuming = new AtomicBoolean(true);
      AtomicReferenceArray<Throwable> failure = new AtomicReferenceArray<>(1);
      Thread consumer =
          new Thread(
              () -> {
                try {
                  while (consuming.get()) {
                    for (ConsumerRecord<PatientKey, RiskScore> r :
                        scores.poll(Duration.ofMillis(20))) {
                      long now = System.currentTimeMillis();
                      if (r.key() == null || !tenant.equals(r.key().getTenant())) {
                        continue;
                      }
                      int p = Integer.parseInt(r.key().getPatientId().substring(1));
                      long end = r.value().getWindowEnd().toEpochMilli();
                      if (arrived.putIfAbsent(windowId(p, end, t0), now) != null) {
                        repeated.incrementAndGet();
                        repeatedExample.compareAndSet(
                            null, r.key() + "@" + r.value().getWindowEnd());
                      }
                    }
                  }
                } catch (Throwable e) {
                  failure.set(0, e);
                }
              },
              "due-bench-consumer");
      consumer.start();
      HistogramTotals emitBefore = HistogramTotals.of(service.registry(), EMIT_LAG);
      double sentRate;
      long warmupWall;
      List<long[]> expected = new ArrayList<>(); // {patient, end, dueWall, probeDueWall}
      try {
        long wallStart = System.currentTimeMillis();
        long wallStop = wallStart + seconds * 1000L;
        int next = 0;
        while (true) {
          long now = System.currentTimeMillis();
          if (now >= wallStop || next >= total) {
            break;
          }
          long eventNow = t0 + (now - wallStart) * speed;
          while (next < total && readingTime(next, patients, interval, t0) <= eventNow) {
            int p = next % patients;
            int k = next / patients;
            int v = k % VITALS.length;
            VitalObservation reading =
                SampleRecords.observation(
                    "r" + k,
                    VITALS[v],
                    VALUES[v],
                    Instant.ofEpochMilli(readingTime(next, patients, interval, t0)));
            sentWall[next] = System.currentTimeMillis();
            producer.send(
                new ProducerRecord<>(Topics.VITALS_OBSERVATIONS.name(), keys.get(p), reading));
            next++;
          }
          Thread.sleep(2);
        }
        producer.flush();
        int sent = next;
        sentRate = sent / ((System.currentTimeMillis() - wallStart) / 1000.0);

        // Every window with data whose end plus grace a sent reading reached, and when it came due.
        warmupWall = wallStart + warmupSeconds * 1000L;
        for (int p = 0; p < patients; p++) {
          long first = readingTime(p, patients, interval, t0);
          long lastIndex = ((sent - 1 - p) / patients) * (long) patients + p;
          if (lastIndex < 0) {
            continue;
          }
          long last = readingTime((int) lastIndex, patients, interval, t0);
          long end = Math.floorDiv(first - phases[p], cadence) * cadence + cadence + phases[p];
          for (; end + grace <= last; end += cadence) {
            long k = ceilDiv(end + grace - first, interval);
            int closing = Math.toIntExact(k * patients + p);
            long probeDue = wallStart + (end + grace - t0) / speed;
            expected.add(new long[] {p, end, sentWall[closing], probeDue});
          }
        }
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
          long missing = 0;
          for (long[] w : expected) {
            if (!arrived.containsKey(windowId((int) w[0], w[1], t0))) {
              missing++;
            }
          }
          if (failure.get(0) != null) {
            throw new IllegalStateException("consumer failed", failure.get(0));
          }
          if (missing == 0) {
            break;
          }
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(
                missing + " of " + expected.size() + " due windows not scored within 2 minutes");
          }
          Thread.sleep(200);
        }
        // Anything more in the next second is a repeated or unexpected window.
        Thread.sleep(1000);
      } finally {
        consuming.set(false);
        consumer.join();
      }
      if (repeated.get() > 0) {
        throw new IllegalStateException(
            repeated.get() + " windows scored twice, e.g. " + repeatedExample.get());
      }
      if (arrived.size() != expected.size()) {
        throw new IllegalStateException(
            arrived.size() + " windows scored, " + expected.size() + " expected");
      }
      HistogramTotals emitAfter = HistogramTotals.of(service.registry(), EMIT_LAG);

      long[] latencies =
          expected.stream()
              .filter(w -> w[2] >= warmupWall)
              .mapToLong(w -> arrived.get(windowId((int) w[0], w[1], t0)) - w[2])
              .sorted()
              .toArray();
      long[] probeLatencies =
          expected.stream()
              .filter(w -> w[2] >= warmupWall)
              .mapToLong(w -> arrived.get(windowId((int) w[0], w[1], t0)) - w[3])
              .sorted()
              .toArray();
      Map<Long, Integer> perSecond = new HashMap<>();
      for (long[] w : expected) {
        if (w[2] >= warmupWall) {
          perSecond.merge(w[2] / 1000, 1, Integer::sum);
        }
      }
      int peak = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      if (latencies.length == 0) {
        throw new IllegalStateException("no window came due after the warm-up");
      }
      double emitCount = emitAfter.count() - emitBefore.count();
      result =
          new Result(
              patients,
              phase,
              latencies.length,
              percentile(latencies, 0.50),
              percentile(latencies, 0.99),
              latencies[latencies.length - 1],
              percentile(probeLatencies, 0.50),
              percentile(probeLatencies, 0.99),
              peak,
              emitCount == 0 ? 0 : (emitAfter.sum() - emitBefore.sum()) / emitCount,
              sentRate,
              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    return result;
  }

  private static long readingTime(int j, int patients, long interval, long t0) {
    long k = j / patients;
    long p = j % patients;
    return t0 + k * interval + p * interval / patients;
  }

  private static long windowId(int patient, long end, long t0) {
    return (end - t0) * 1_000_000L + patient;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long percentile(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static Result find(List<Result> results, int patients, WindowPhase phase) {
    return results.stream()
        .filter(r -> r.patients() == patients && r.phase() == phase)
        .findFirst()
        .orElse(null);
  }

  private static String phaseName(WindowPhase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }
}
