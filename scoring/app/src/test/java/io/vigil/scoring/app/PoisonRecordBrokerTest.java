package io.vigil.scoring.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Records a platform writes straight to the input topics, bypassing ingest, on the partition of a
 * patient being monitored: a key with a 10,000-character patient id, undecodable bytes, an unknown
 * schema fingerprint, an over-long reading id, and a patient context whose key is beyond what a
 * state-store key can hold. The production service (Micronaut and Kafka Streams, exactly once,
 * RocksDB) on a real broker dead-letters each with its reason and origin, counts it, stays ready
 * without losing a stream thread, and the patient's scores arrive as usual.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonRecordBrokerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Instant start =
      Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
  private ScoringInstance service;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_HOME", Files.createTempDirectory("scoring-poison-home").toString());
    env.put("VIGIL_JWT_SECRET", ScoringInstance.SESSION_SECRET);
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", TestKafka.unique("scoring-poison"));
    env.put("SCORING_STATE_DIR", Files.createTempDirectory("scoring-poison").toString());
    env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
    // Window ends on the hour, so the test can name them (the phase has tests of its own).
    env.put("SCORING_WINDOW_PHASE", "aligned");
    service = ScoringInstance.start(env, TestModels.untrained(3));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void shouldKeepScoringThePartitionAfterRecordsThatCannotBeUsed(TestKafka kafka) throws Exception {
    String tenant = TestKafka.unique("poison");
    PatientKey patient = new PatientKey(tenant, "steady");
    byte[] patientKey = Topics.PATIENT_KEY.encode(patient);
    // Kafka's default partitioner for a keyed record.
    int partition = Utils.toPositive(Utils.murmur2(patientKey)) % Topics.PATIENT_PARTITIONS;
    Map<String, Double> before = rejectedCounters();

    byte[] unknownSchema = new byte[2 + 8 + 16];
    new Random(7).nextBytes(unknownSchema);
    unknownSchema[0] = (byte) 0xC3;
    unknownSchema[1] = 0x01;
    Map<String, Expected> expected = new LinkedHashMap<>();
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      expected.put(
          origin(
              send(
                  raw,
                  Topics.VITALS_OBSERVATIONS.name(),
                  partition,
                  Topics.PATIENT_KEY.encode(new PatientKey(tenant, "p".repeat(10_000))),
                  encode(Readings.of("long-key", Vital.HEART_RATE, 80, start)))),
          new Expected(
              RejectionReason.INVALID_VALUE,
              "key: patientId 'ppp",
              "is 10000 characters long; at most 128 are allowed"));
      expected.put(
          origin(
              send(
                  raw,
                  Topics.VITALS_OBSERVATIONS.name(),
                  partition,
                  patientKey,
                  "{\"heartRate\": 80}".getBytes(StandardCharsets.UTF_8))),
          new Expected(RejectionReason.UNDECODABLE, "not an Avro single-object encoded", ""));
      expected.put(
          origin(
              send(raw, Topics.VITALS_OBSERVATIONS.name(), partition, patientKey, unknownSchema)),
          new Expected(RejectionReason.UNKNOWN_SCHEMA, "unknown schema for VitalObservation", ""));
      expected.put(
          origin(
              send(
                  raw,
                  Topics.VITALS_OBSERVATIONS.name(),
                  partition,
                  patientKey,
                  encode(Readings.of("r".repeat(300), Vital.HEART_RATE, 80, start)))),
          new Expected(
              RejectionReason.INVALID_VALUE,
              "readingId 'rrr",
              "is 300 characters long; at most 128 are allowed"));
      expected.put(
          origin(
              send(
                  raw,
                  Topics.PATIENTS_CONTEXT.name(),
                  partition,
                  Topics.PATIENT_KEY.encode(new PatientKey(tenant, "c".repeat(70_000))),
                  Topics.PATIENTS_CONTEXT
                      .valueSerde()
                      .serializer()
                      .serialize(null, SampleRecords.context()))),
          new Expected(
              RejectionReason.INVALID_VALUE,
              "key: patientId 'ccc",
              "is 70000 characters long; at most 128 are allowed"));
    }

    try (KafkaProducer<PatientKey, VitalObservation> producer =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      RecordMetadata first =
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.VITALS_OBSERVATIONS.name(),
                      patient,
                      Readings.of("first", Vital.HEART_RATE, 80, start.plusSeconds(60))))
              .get(30, TimeUnit.SECONDS);
      assertEquals(partition, first.partition(), "the patient's readings share the partition");
      // 6 hours of readings: windows ending at hours 1..5 are due.
      Readings.send(producer, List.of(patient), start, 0, 6 * 60 + 1);
    }
    List<ConsumerRecord<PatientKey, RiskScore>> scores =
        kafka.consume(Topics.RISK_SCORES, 5, Duration.ofSeconds(90), r -> patient.equals(r.key()));
    assertEquals(
        List.of(1, 2, 3, 4, 5).stream().map(h -> start.plus(Duration.ofHours(h))).toList(),
        scores.stream().map(r -> r.value().getWindowEnd()).toList());

    List<ConsumerRecord<PatientKey, RejectedObservation>> dead =
        kafka.consume(
            Topics.VITALS_REJECTED,
            expected.size(),
            Duration.ofSeconds(30),
            r -> expected.containsKey(origin(r.value())));
    assertEquals(expected.size(), dead.size(), "one dead letter per record");
    for (ConsumerRecord<PatientKey, RejectedObservation> r : dead) {
      RejectedObservation letter = r.value();
      Expected e = expected.get(origin(letter));
      assertEquals(e.reason(), letter.getReason(), letter.getDetail());
      assertTrue(letter.getDetail().startsWith(e.start()), letter.getDetail());
      assertTrue(letter.getDetail().contains(e.rule()), letter.getDetail());
      assertTrue(letter.getDetail().length() < 300, letter.getDetail());
      assertEquals("vigil-scoring", letter.getRejectedBy());
    }

    Map<String, Double> after = rejectedCounters();
    assertTrue(delta(before, after, "INVALID_VALUE") >= 3, after.toString());
    assertTrue(delta(before, after, "UNDECODABLE") >= 1, after.toString());
    assertTrue(delta(before, after, "UNKNOWN_SCHEMA") >= 1, after.toString());

    HttpResponse<String> readiness = get("/health/readiness");
    assertEquals(200, readiness.statusCode(), readiness.body());
    assertTrue(readiness.body().contains("\"UP\""), readiness.body());
    assertEquals(0, service.service().threadFailures().total(), "no stream thread failed");
  }

  private record Expected(RejectionReason reason, String start, String rule) {}

  private static String origin(RecordMetadata sent) {
    return sent.topic() + "/" + sent.partition() + "/" + sent.offset();
  }

  private static String origin(RejectedObservation letter) {
    return letter.getTopic() + "/" + letter.getPartition() + "/" + letter.getOffset();
  }

  private static RecordMetadata send(
      KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] key, byte[] value)
      throws Exception {
    return producer
        .send(new ProducerRecord<>(topic, partition, key, value))
        .get(30, TimeUnit.SECONDS);
  }

  private static byte[] encode(VitalObservation reading) {
    return Topics.VITALS_OBSERVATIONS.valueSerde().serializer().serialize(null, reading);
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String r) {
    return after.getOrDefault(r, 0.0) - before.getOrDefault(r, 0.0);
  }

  /** {@code vigil_scoring_records_rejected_total} by reason, from {@code /metrics}. */
  private Map<String, Double> rejectedCounters() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    Map<String, Double> counters = new HashMap<>();
    Matcher m =
        Pattern.compile(
                "^vigil_scoring_records_rejected_total\\{reason=\"([A-Z_]+)\"\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(metrics.body());
    while (m.find()) {
      counters.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return counters;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
