package io.vigil.ingest.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.ingest.auth.ApiKeyFile;
import io.vigil.ingest.kafka.KafkaSender;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Throughput and latency of HTTP ingest against a plain Kafka producer, in one run on one machine:
 * an in-JVM KRaft broker, the ingest service on loopback, and the load generator.
 *
 * <ol>
 *   <li>raw: a KafkaProducer writes VitalObservation records (same serde, key, acks=all,
 *       idempotence and batching settings as the service) as fast as it can;
 *   <li>http: client threads POST 500-reading JSON batches to /v1/observations;
 *   <li>latency: 500-reading batches paced at half the measured HTTP rate; p50/p99/max.
 * </ol>
 *
 * <p>Run: {@code mvn -q -pl ingest test-compile exec:java
 * -Dexec.mainClass=io.vigil.ingest.bench.IngestBenchmark -Dexec.classpathScope=test} (or {@code
 * ingest/bench.sh}). Options as system properties: {@code bench.readings} (per throughput run,
 * default 400000), {@code bench.clients} (default 8), {@code bench.latencySeconds} (default 20).
 */
public final class IngestBenchmark {
  private static final int BATCH = 500;
  private static final int PATIENTS = 1000;
  private static final int BODY_POOL = 64;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int readings = Integer.getInteger("bench.readings", 400_000);
    int clients = Integer.getInteger("bench.clients", 8);
    int latencySeconds = Integer.getInteger("bench.latencySeconds", 20);
    Path home = Files.createTempDirectory("vigil-bench");
    try (KafkaClusterTestKit cluster = startBroker()) {
      String bootstrap = cluster.bootstrapServers();
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (Admin admin = Admin.create(adminProps)) {
        TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
      }
      ApiKeyFile.NewKey key = ApiKeyFile.create("bench", "bench", Instant.now());
      ApiKeyFile.write(home.resolve("ingest-api-keys.tsv"), List.of(key.entry()));
      Map<String, Object> props =
          Map.of(
              "micronaut.server.port",
              -1,
              "kafka.bootstrap.servers",
              bootstrap,
              "vigil.ingest.home",
              home.toString(),
              "vigil.ingest.demo-source",
              false,
              "vigil.ingest.rate-limit-per-second",
              1_000_000,
              "vigil.ingest.rate-limit-burst",
              1_000_000);
      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
        URI uri = server.getURI().resolve("/v1/observations");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        System.out.printf(Locale.ROOT, "warming up...%n");
        raw(bootstrap, readings / 4);
        http(http, uri, key.token(), readings / 4, clients);

        double rawRate = raw(bootstrap, readings);
        double httpRate = http(http, uri, key.token(), readings, clients);
        System.out.printf(
            Locale.ROOT,
            "raw producer : %,10.0f readings/s (acks=all, idempotent, %d readings)%n",
            rawRate,
            readings);
        System.out.printf(
            Locale.ROOT,
            "HTTP ingest  : %,10.0f readings/s (%d clients, %d-reading batches) = %.0f %% of raw%n",
            httpRate,
            clients,
            BATCH,
            100 * httpRate / rawRate);
        latency(http, uri, key.token(), httpRate / 2, latencySeconds);
      }
    }
  }

  private static KafkaClusterTestKit startBroker() throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
            .build();
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return cluster;
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
   * A pool of distinct batches, reused in turn: ingest keeps no state between batches, and a small
   * pool keeps the load generator's own memory out of the service's garbage-collection pauses.
   */
  private static List<String> bodies() {
    List<String> bodies = new ArrayList<>(BODY_POOL);
    for (int i = 0; i < BODY_POOL; i++) {
      bodies.add(body());
    }
    return bodies;
  }

  private static HttpRequest request(URI uri, String token, String body) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static double http(HttpClient http, URI uri, String token, int readings, int clients)
      throws Exception {
    int batches = readings / BATCH;
    List<String> bodies = bodies();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(
          pool.submit(
              () -> {
                for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                  HttpResponse<String> response =
                      http.send(
                          request(uri, token, bodies.get(b % bodies.size())),
                          HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException(response.statusCode() + " " + response.body());
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

  /** Open-loop load: batches start on schedule whether or not earlier ones finished. */
  private static void latency(HttpClient http, URI uri, String token, double rate, int seconds)
      throws Exception {
    double batchesPerSecond = rate / BATCH;
    int total = (int) (batchesPerSecond * seconds);
    List<String> bodies = bodies();
    long[] micros = new long[total];
    ExecutorService pool = Executors.newFixedThreadPool(32);
    long start = System.nanoTime();
    long intervalNanos = (long) (1e9 / batchesPerSecond);
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
                HttpResponse<String> response =
                    http.send(
                        request(uri, token, bodies.get(n % bodies.size())),
                        HttpResponse.BodyHandlers.ofString());
                // Measured from the scheduled start, so queueing behind slow requests counts.
                micros[n] = (System.nanoTime() - due) / 1000;
                if (response.statusCode() != 200) {
                  throw new IllegalStateException(response.statusCode() + " " + response.body());
                }
                return null;
              }));
    }
    for (Future<?> f : sent) {
      f.get();
    }
    pool.shutdown();
    Arrays.sort(micros);
    System.out.printf(
        Locale.ROOT,
        "latency      : %d batches of %d at %,.0f readings/s (half the HTTP rate) for %d s:"
            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        total,
        BATCH,
        rate,
        seconds,
        micros[total / 2] / 1000.0,
        micros[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)] / 1000.0,
        micros[total - 1] / 1000.0);
  }
}
