package io.vigil.scoring.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Generated hostile records written straight to scoring's inputs ({@code vitals.observations} and
 * {@code patients.context}) on the partition of a patient being monitored, against the production
 * service on a real broker: undecodable and truncated bytes, unknown fingerprints, flipped bytes,
 * null keys and values, and well-encoded records with NaN, infinite or huge values, times at the
 * ends of the epoch, odd unicode and over-long identifiers, thousands of care teams. Properties: no
 * stream thread fails and readiness stays UP; nothing is dead-lettered as {@code OTHER} (a
 * processor that threw); every undecodable reading is dead-lettered with its reason; and the
 * patient's windows are still scored.
 */
class HostileInputBrokerTest {
  private static final Instant START =
      Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static TestKafka kafka;
  private static ScoringInstance service;
  private static ScoringConfig config;
  private static KafkaProducer<byte[], byte[]> raw;
  private static KafkaConsumer<PatientKey, RiskScore> scores;
  private static KafkaConsumer<PatientKey, RejectedObservation> rejected;
  private static final Map<PatientKey, List<Instant>> scored = new ConcurrentHashMap<>();
  private static final Map<String, RejectedObservation> letters = new ConcurrentHashMap<>();

  @BeforeContainer
  static void start() throws Exception {
    // The jqwik engine runs no Jupiter extension (no @WithKafka): a broker of its own.
    kafka = TestKafka.startInJvm(1);
    try (Admin admin = kafka.admin()) {
      TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
    }
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_HOME", Files.createTempDirectory("scoring-hostile-home").toString());
    env.put("VIGIL_JWT_SECRET", ScoringInstance.SESSION_SECRET);
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", TestKafka.unique("scoring-hostile"));
    env.put("SCORING_STATE_DIR", Files.createTempDirectory("scoring-hostile").toString());
    env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
    service = ScoringInstance.start(env, TestModels.untrained(3));
    config = service.topology();
    raw =
        new KafkaProducer<>(
            kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    scores = follow(Topics.RISK_SCORES);
    rejected = follow(Topics.VITALS_REJECTED);
  }

  private static <K, V> KafkaConsumer<K, V> follow(TopicSpec<K, V> topic) {
    KafkaConsumer<K, V> consumer = kafka.consumer(topic);
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(topic.name())
        .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  @AfterContainer
  static void stop() {
    if (raw != null) {
      raw.close();
      scores.close();
      rejected.close();
    }
    if (service != null) {
      service.close();
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  /** One record for an input topic: key and value bytes, and whether it must be dead-lettered. */
  record Hostile(boolean context, byte[] key, byte[] value, boolean undecodable, String what) {
    @Override
    public String toString() {
      return (context ? "patients.context: " : "vitals.observations: ") + what;
    }
  }

  @Provide
  Arbitrary<Hostile> hostile() {
    return Arbitraries.oneOf(
        undecodable(), oddReadings(), futureReadings(), oddContexts(), oddKeys());
  }

  /** Readings whose time and time received both lie ahead of every clock (a wrong device). */
  private Arbitrary<Hostile> futureReadings() {
    return Arbitraries.of(
            Duration.ofHours(2),
            Duration.ofDays(1),
            Duration.ofDays(365 * 200),
            ChronoUnit.FOREVER.getDuration())
        .map(
            ahead -> {
              Instant t =
                  ahead.compareTo(Duration.ofDays(365 * 200)) > 0
                      ? Instant.ofEpochMilli(Long.MAX_VALUE - 10_000)
                      : Instant.now().plus(ahead);
              VitalObservation o = Readings.of("r-future", Vital.HEART_RATE, 80, t);
              o.setTimeReceived(t);
              return new Hostile(false, VICTIM, observation(o), false, "reading at " + t);
            });
  }

  private static byte[] observation(VitalObservation o) {
    return Topics.VITALS_OBSERVATIONS.valueSerde().serializer().serialize(null, o);
  }

  private static byte[] context(PatientContext c) {
    return Topics.PATIENTS_CONTEXT.valueSerde().serializer().serialize(null, c);
  }

  private static byte[] key(String tenant, String patient) {
    return Topics.PATIENT_KEY.encode(new PatientKey(tenant, patient));
  }

  private static final byte[] VICTIM = key("hostile", "victim");

  private Arbitrary<Hostile> undecodable() {
    byte[] valid = observation(Readings.of("r-1", Vital.HEART_RATE, 80, START));
    return Arbitraries.oneOf(
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(b -> new Hostile(false, VICTIM, b, true, "random bytes " + b.length)),
        Arbitraries.integers()
            .between(0, valid.length - 1)
            .map(
                n ->
                    new Hostile(
                        false,
                        VICTIM,
                        java.util.Arrays.copyOf(valid, n),
                        true,
                        "valid reading truncated to " + n)),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(8)
            .ofMaxSize(8)
            .map(
                f -> {
                  byte[] b = valid.clone();
                  System.arraycopy(f, 0, b, 2, 8);
                  return new Hostile(false, VICTIM, b, true, "unknown fingerprint");
                }),
        Combinators.combine(
                Arbitraries.integers().between(10, valid.length - 1),
                Arbitraries.bytes().filter(b -> b != 0))
            .as(
                (at, x) -> {
                  byte[] b = valid.clone();
                  b[at] ^= x;
                  return new Hostile(false, VICTIM, b, false, "byte " + at + " flipped");
                }),
        Arbitraries.of(new Hostile(false, VICTIM, null, false, "null value")),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(200)
            .map(b -> new Hostile(true, VICTIM, b, false, "context of random bytes")));
  }

  private Arbitrary<Hostile> oddReadings() {
    Arbitrary<Double> values =
        Arbitraries.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.MIN_VALUE,
            -0.0,
            80.0);
    Arbitrary<Instant> times =
        Arbitraries.of(
            Instant.ofEpochMilli(Long.MAX_VALUE),
            Instant.ofEpochMilli(Long.MIN_VALUE),
            Instant.EPOCH,
            Instant.ofEpochMilli(-1),
            Instant.parse("2200-01-01T00:00:00Z"),
            START.plusSeconds(30));
    Arbitrary<String> texts =
        Arbitraries.oneOf(
            Arbitraries.of(
                "r-1", "", "pätient", "\u202Eevil", "nul\u0000", "emoji-\uD83D\uDE00", " "),
            Arbitraries.strings().ofMinLength(129).ofMaxLength(20_000));
    return Combinators.combine(
            Combinators.combine(values, times, times, Arbitraries.of(VitalType.values()))
                .as(List::<Object>of),
            texts,
            texts,
            Arbitraries.of("/min", "%", "Cel", "", "\u00b0C", "mm[Hg]"),
            Arbitraries.of("8867-4", "", "x".repeat(5000)))
        .as(
            (vtt, id, source, unit, loinc) -> {
              VitalObservation o =
                  VitalObservation.newBuilder()
                      .setReadingId(id)
                      .setSourceId(source.isEmpty() ? "platform-1" : source)
                      .setVital((VitalType) vtt.get(3))
                      .setLoinc(loinc)
                      .setValue((Double) vtt.get(0))
                      .setUnit(unit)
                      .setTime((Instant) vtt.get(1))
                      .setTimeReceived((Instant) vtt.get(2))
                      .build();
              return new Hostile(false, VICTIM, observation(o), false, "odd reading " + o);
            });
  }

  private Arbitrary<Hostile> oddContexts() {
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.of(
                    List.<String>of(), List.of(""), List.of("ward\u0000"), List.of("a/b")),
                Arbitraries.strings().ofMaxLength(100).list().ofMaxSize(3000)),
            Arbitraries.of(-1, 0, Integer.MAX_VALUE, Integer.MIN_VALUE),
            Arbitraries.of(
                Instant.ofEpochMilli(Long.MIN_VALUE), Instant.ofEpochMilli(Long.MAX_VALUE)))
        .as(
            (teams, age, time) -> {
              PatientContext c = SampleRecords.context();
              c.setCareTeams(teams);
              c.setAge(age);
              c.setConsciousnessTime(time);
              c.setMonitoringStart(time);
              c.setUpdatedAt(time);
              return new Hostile(
                  true, VICTIM, context(c), false, "odd context, " + teams.size() + " teams");
            });
  }

  private Arbitrary<Hostile> oddKeys() {
    byte[] valid = observation(Readings.of("r-k", Vital.HEART_RATE, 80, START));
    Arbitrary<byte[]> keys =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
            Arbitraries.of("", "t/x", "\u0000", "x".repeat(200))
                .map(t -> key(t.isEmpty() ? "" : t, "victim")),
            Arbitraries.strings().ofMinLength(129).ofMaxLength(50_000).map(p -> key("hostile", p)),
            Arbitraries.of((byte[]) null));
    return Combinators.combine(keys, Arbitraries.of(true, false))
        .as(
            (k, context) ->
                new Hostile(
                    context,
                    k == null && context ? new byte[0] : k, // a compacted topic refuses null keys
                    context ? context(SampleRecords.context()) : valid,
                    false,
                    "odd key " + (k == null ? "null" : k.length + " bytes")));
  }

  @Property(tries = 6)
  void theInputsKeepBeingScoredWhateverIsWrittenToThem(
      @ForAll @Size(min = 1, max = 25) List<@From("hostile") Hostile> records) throws Exception {
    PatientKey patient = new PatientKey("hostile", "p-" + UUID.randomUUID());
    byte[] patientKey = Topics.PATIENT_KEY.encode(patient);
    int partition = Utils.toPositive(Utils.murmur2(patientKey)) % Topics.PATIENT_PARTITIONS;
    long failuresBefore = service.service().threadFailures().total();

    Map<String, Hostile> undecodable = new HashMap<>();
    for (Hostile h : records) {
      String topic =
          h.context() ? Topics.PATIENTS_CONTEXT.name() : Topics.VITALS_OBSERVATIONS.name();
      RecordMetadata sent =
          raw.send(new ProducerRecord<>(topic, partition, h.key(), h.value()))
              .get(30, TimeUnit.SECONDS);
      if (h.undecodable()) {
        undecodable.put(origin(sent.topic(), sent.partition(), sent.offset()), h);
      }
    }
    // Two hours of the patient's readings after the hostile records, on the same partition.
    try (KafkaProducer<PatientKey, VitalObservation> producer =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      Readings.send(producer, List.of(patient), START, 0, 2 * 60 + 11);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              drain();
              return scored.getOrDefault(patient, List.of()).size() >= 2
                  && letters.keySet().containsAll(undecodable.keySet());
            });
    // The first two windows on the patient's grid (hourly, shifted by the patient's phase).
    assertEquals(
        Readings.dueEnds(config, patient, START, START.plus(Duration.ofMinutes(2 * 60 + 10)))
            .subList(0, 2),
        scored.get(patient).subList(0, 2),
        "the patient's windows are scored after the hostile records");
    for (Map.Entry<String, RejectedObservation> letter : letters.entrySet()) {
      RejectedObservation r = letter.getValue();
      assertNotEquals(
          RejectionReason.OTHER, r.getReason(), "a processor threw on a record: " + r.getDetail());
      assertTrue(!r.getDetail().isBlank() && r.getDetail().length() < 1000, r.getDetail());
    }
    assertEquals(
        failuresBefore, service.service().threadFailures().total(), "no stream thread failed");
    HttpResponse<String> readiness =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.port() + "/health/readiness"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, readiness.statusCode(), readiness.body());
  }

  private static void drain() {
    for (ConsumerRecord<PatientKey, RiskScore> r : scores.poll(Duration.ofMillis(50))) {
      scored
          .computeIfAbsent(r.key(), k -> Collections.synchronizedList(new ArrayList<>()))
          .add(r.value().getWindowEnd());
    }
    for (ConsumerRecord<PatientKey, RejectedObservation> r : rejected.poll(Duration.ofMillis(50))) {
      RejectedObservation v = r.value();
      letters.put(origin(v.getTopic(), v.getPartition(), v.getOffset()), v);
    }
  }

  private static String origin(String topic, long partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }
}
