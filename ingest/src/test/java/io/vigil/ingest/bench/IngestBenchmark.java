package io.vigil.ingest.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.ingest.kafka.KafkaSender;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.Vital;
import io.vigil.schemas.access.ApiKeyFile;
import io.vigil.schemas.access.Scope;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.NativeThreads;
import io.vigil.testkit.TestKafka;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Throughput and latency of HTTP ingest against a plain Kafka producer, in one run on one machine:
 * an in-JVM KRaft broker, the ingest service on loopback, and the load generator.
 *
 * <ol>
 *   <li>warm-up: three runs of each path, then a pause until the JIT compiler is idle (at most 2
 *       minutes);
 *   <li>rounds (default 3), each: raw, a KafkaProducer writes VitalObservation records (same serde,
 *       key, acks=all, idempotence and batching settings as the service) as fast as it can; then
 *       http, client threads POST 500-reading JSON batches to /v1/observations, each over its own
 *       keep-alive connection ({@link LoopbackHttp}). Each round prints both rates, their ratio and
 *       the process's CPU per reading; the median ratio is the figure. Alternating rounds give both
 *       paths the same machine, which is shared and noisy;
 *   <li>latency: 500-reading batches paced at half the last HTTP rate; p50/p99/max, measured from
 *       each batch's scheduled start.
 * </ol>
 *
 * <p>Run: {@code mvn -q -pl ingest test-compile exec:java
 * -Dexec.mainClass=io.vigil.ingest.bench.IngestBenchmark -Dexec.classpathScope=test} (or {@code
 * ingest/bench.sh}). Options as system properties: {@code bench.readings} (per throughput run,
 * default 400000), {@code bench.clients} (default 8), {@code bench.rounds} (default 3), {@code
 * bench.latencySeconds} (default 20), {@code bench.threads=true} (CPU per reading by thread group).
 */
public final class IngestBenchmark {
  private static final int BATCH = 500;
  private static final int PATIENTS = 1000;
  private static final int BODY_POOL = 64;
  private static final int WARMUP_PASSES = 3;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int readings = Integer.getInteger("bench.readings", 400_000);
    int clients = Integer.getInteger("bench.clients", 8);
    int latencySeconds = Integer.getInteger("bench.latencySeconds", 20);
    int rounds = Math.max(1, Integer.getInteger("bench.rounds", 3));
    boolean showThreads = Boolean.getBoolean("bench.threads");
    Path home = Files.createTempDirectory("vigil-bench");
    TestKafka cluster = TestKafka.startInJvm(1);
    AutoCloseable stopBroker = cluster::stop;
    try (stopBroker) {
      String bootstrap = cluster.bootstrapServers();
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (Admin admin = Admin.create(adminProps)) {
        TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
      }
      ApiKeyFile.NewKey key =
          ApiKeyFile.create("bench", "bench", Set.of(Scope.WRITE), Instant.now());
      ApiKeyFile.write(home.resolve("ingest-api-keys.tsv"), List.of(key.entry()));
      Map<String, Object> props =
          Map.of(
              "micronaut.server.port",
              -1,
              "kafka.bootstrap.servers",
              bootstrap,
              "vigil.home",
              home.toString(),
              "vigil.ingest.rate-limit-per-second",
              1_000_000,
              "vigil.ingest.rate-limit-burst",
              1_000_000);
      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
        URI uri = server.getURI().resolve("/v1/observations");

        // Warm up, then let the JIT compiler drain its queue: with the broker, the service and
        // the clients in one JVM there is a lot to compile, and on two cores the compiler threads
        // would otherwise take CPU from whichever path a measured round runs.
        for (int pass = 0; pass < WARMUP_PASSES; pass++) {
          raw(bootstrap, readings);
          http(uri, key.token(), readings, clients);
        }
        System.out.printf(
            Locale.ROOT,
            "warmed up with %d passes; waited %.1f s for the JIT compiler to go idle%n",
            WARMUP_PASSES,
            NativeThreads.awaitCompilerIdle(Duration.ofSeconds(3), Duration.ofMinutes(2)) / 1000.0);

        // Alternating rounds, so that both paths see the same machine; each round's ratio counts.
        double[] ratios = new double[rounds];
        double httpRate = 0;
        for (int round = 0; round < rounds; round++) {
          Phase raw = Phase.measure(readings, () -> raw(bootstrap, readings));
          Phase web = Phase.measure(readings, () -> http(uri, key.token(), readings, clients));
          ratios[round] = web.rate() / raw.rate();
          httpRate = web.rate();
          System.out.printf(
              Locale.ROOT,
              "round %d: raw producer %,9.0f readings/s (%s); HTTP ingest %,9.0f readings/s (%s)"
                  + " = %.0f %% of raw%n",
              round + 1,
              raw.rate(),
              raw.costs(),
              web.rate(),
              web.costs(),
              100 * ratios[round]);
          if (showThreads) {
            raw.printThreads("raw");
            web.printThreads("http");
          }
        }
        Arrays.sort(ratios);
        System.out.printf(
            Locale.ROOT,
            "HTTP ingest / raw producer: median %.0f %% over %d rounds (min %.0f %%, max %.0f %%;"
                + " %d clients, %d-reading batches, acks=all)%n",
            100 * ratios[rounds / 2],
            rounds,
            100 * ratios[0],
            100 * ratios[rounds - 1],
            clients,
            BATCH);
        latency(uri, key.token(), httpRate / 2, latencySeconds);
      }
    }
  }

  /** A measured run: rate, and the process's CPU (ns), JIT and GC time (ms) spent during it. */
  private record Phase(
      double rate, int readings, long cpu, long jit, long gc, Map<String, Long> threads) {

    interface Run {
      double rate() throws Exception;
    }

    static Phase measure(int readings, Run run) throws Exception {
      long cpu = cpuNanos();
      long jit = NativeThreads.compilerCpuNanos();
      long gc = gcMillis();
      Map<String, Long> threads = threadCpu();
      double rate = run.rate();
      Map<String, Long> delta = new java.util.HashMap<>();
      threadCpu()
          .forEach(
              (k, v) ->
                  delta.merge(
                      k.substring(0, k.indexOf('#')), v - threads.getOrDefault(k, 0L), Long::sum));
      return new Phase(
          rate,
          readings,
          cpuNanos() - cpu,
          (NativeThreads.compilerCpuNanos() - jit) / 1_000_000,
          gcMillis() - gc,
          delta);
    }

    String costs() {
      return String.format(
          Locale.ROOT,
          "%.1f us CPU/reading, JIT compiler CPU %d ms, GC %d ms",
          cpu / 1000.0 / readings,
          jit,
          gc);
    }

    /** CPU per reading by thread group (threads that ended during the run are missing). */
    void printThreads(String name) {
      threads.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(10)
          .forEach(
              e ->
                  System.out.printf(
                      Locale.ROOT,
                      "    %-5s %6.2f us/reading  %s%n",
                      name,
                      e.getValue() / 1000.0 / readings,
                      e.getKey()));
    }
  }

  /** CPU time of the whole process (all threads, JIT and GC included), in nanoseconds. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long gcMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** CPU time per live thread, keyed "name with digits as N#id". */
  private static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> byThread = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        String group = info.getThreadName().replaceAll("[0-9]+", "N");
        byThread.put(
            group + "#" + info.getThreadId(), Math.max(0, mx.getThreadCpuTime(info.getThreadId())));
      }
    }
    return byThread;
  }

  private static VitalObservation observation(int i, Instant now) {
    Vital vital = Vital.HEART_RATE;
    return VitalObservation.newBuilder()
        .setReadingId("raw-" + i)
        .setSourceId("bench")
        .setDeviceId("watch-" + (i % PATIENTS))
        .setVital(vital.type())
        .setLoinc(vital.loinc())
        .setValue(60 + i % 60)
        .setUnit(vital.unit())
        .setTime(now)
        .setTimeReceived(now)
        .build();
  }

  /** Plain producer, same settings as the service, all records acknowledged. */
  private static double raw(String bootstrap, int count) throws Exception {
    Properties props = KafkaSender.producerProperties(bootstrap, Duration.ofSeconds(30), Map.of());
    Instant now = Instant.now();
    try (KafkaProducer<PatientKey, VitalObservation> producer =
        new KafkaProducer<>(
            props,
            Topics.VITALS_OBSERVATIONS.keySerde().serializer(),
            Topics.VITALS_OBSERVATIONS.valueSerde().serializer())) {
      long start = System.nanoTime();
      List<Future<RecordMetadata>> acks = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.VITALS_OBSERVATIONS.name(),
                    PatientKeys.of("bench", "p" + (i % PATIENTS)),
                    observation(i, now))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      return count / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static final AtomicInteger BATCH_NO = new AtomicInteger();

  private static String body() {
    int batch = BATCH_NO.incrementAndGet();
    String now = Instant.now().toString();
    StringBuilder json = new StringBuilder(BATCH * 140).append("{\"readings\":[");
    for (int i = 0; i < BATCH; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"id\":\"b")
          .append(batch)
          .append('-')
          .append(i)
          .append("\",\"patientId\":\"p")
          .append((batch * 7 + i) % PATIENTS)
          .append("\",\"deviceId\":\"watch-1\",\"code\":\"heart_rate\",\"value\":")
          .append(60 + i % 60)
          .append(",\"unit\":\"/min\",\"time\":\"")
          .append(now)
          .append("\"}");
    }
    return json.append("]}").toString();
  }

  /**
   * A pool of distinct batches as complete HTTP requests, reused in turn: ingest keeps no state
   * between batches, and a small pool keeps the load generator's own memory out of the service's
   * garbage-collection pauses.
   */
  private static List<byte[]> requests(URI uri, String token) {
    List<byte[]> requests = new ArrayList<>(BODY_POOL);
    for (int i = 0; i < BODY_POOL; i++) {
      requests.add(LoopbackHttp.post(uri, token, body().getBytes(StandardCharsets.UTF_8)));
    }
    return requests;
  }

  private static void expectOk(LoopbackHttp.Response response) {
    if (response.status() != 200) {
      throw new IllegalStateException(response.status() + " " + response.body());
    }
  }

  private static double http(URI uri, String token, int readings, int clients) throws Exception {
    int batches = readings / BATCH;
    List<byte[]> requests = requests(uri, token);
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(
          pool.submit(
              () -> {
                try (LoopbackHttp http = new LoopbackHttp(uri)) {
                  for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                    expectOk(http.send(requests.get(b % requests.size())));
                  }
                }
                return null;
              }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return batches * BATCH / seconds;
  }

  /**
   * Open-loop load: batches start on schedule whether or not earlier ones finished (up to 32 in
   * flight, each on its own connection).
   */
  private static void latency(URI uri, String token, double rate, int seconds) throws Exception {
    double batchesPerSecond = rate / BATCH;
    int total = (int) (batchesPerSecond * seconds);
    List<byte[]> requests = requests(uri, token);
    long[] micros = new long[total];
    ExecutorService pool = Executors.newFixedThreadPool(32);
    ThreadLocal<LoopbackHttp> connections = ThreadLocal.withInitial(() -> new LoopbackHttp(uri));
    long start = System.nanoTime();
    long intervalNanos = (long) (1e9 / batchesPerSecond);
    long gcBefore = gcMillis();
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      final int n = i;
      sent.add(
          pool.submit(
              () -> {
                LoopbackHttp.Response response =
                    connections.get().send(requests.get(n % requests.size()));
                // Measured from the scheduled start, so queueing behind slow requests counts.
                micros[n] = (System.nanoTime() - due) / 1000;
                expectOk(response);
                return null;
              }));
    }
    for (Future<?> f : sent) {
      f.get();
    }
    pool.shutdownNow();
    long gc = gcMillis() - gcBefore;
    Arrays.sort(micros);
    System.out.printf(
        Locale.ROOT,
        "latency      : %d batches of %d at %,.0f readings/s (half the HTTP rate) for %d s:"
            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms; GC %d ms%n",
        total,
        BATCH,
        rate,
        seconds,
        micros[total / 2] / 1000.0,
        micros[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)] / 1000.0,
        micros[total - 1] / 1000.0,
        gc);
  }
}
