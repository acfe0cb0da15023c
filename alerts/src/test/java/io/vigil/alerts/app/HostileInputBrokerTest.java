package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.BOB;
import static io.vigil.alerts.app.AlertsApp.BOB_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.alerts.Scores;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.Contributor;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Generated hostile records written straight to the alerts service's inputs ({@code risk.scores}
 * and {@code patients.context}) on the partition of a patient being monitored, against the whole
 * service on a real broker: undecodable, truncated and flipped bytes, odd keys, and well-encoded
 * scores with NaN or out-of-range risks, impossible NEWS2 totals, windows at the ends of the epoch
 * or ending before they start, thousands of contributors, contexts with odd or thousands of care
 * teams. Properties: the alarm paths keep running (readiness UP, every component up) and the
 * patient's next score still reaches the nurse of its care team.
 */
class HostileInputBrokerTest {
  private static final String TENANT = "hostile-alerts";

  private static TestKafka kafka;
  private static AlertsApp app;
  private static KafkaProducer<byte[], byte[]> raw;
  private static Browserless bob;

  @BeforeContainer
  static void start() throws Exception {
    // The jqwik engine runs no Jupiter extension (no @WithKafka): a broker of its own.
    kafka = TestKafka.startInJvm(1);
    try (Admin admin = kafka.admin()) {
      TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
    }
    app = AlertsApp.start(kafka, TENANT, Map.of());
    raw =
        new KafkaProducer<>(
            kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new Browserless(app.base).get("/health").statusCode() == 200);
    bob = new Browserless(app.base);
    assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
  }

  @AfterContainer
  static void stop() {
    if (raw != null) {
      raw.close();
    }
    if (app != null) {
      app.close();
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  /** One record for an input topic, key and value as bytes. */
  record Hostile(boolean context, byte[] key, byte[] value, String what) {
    @Override
    public String toString() {
      return (context ? "patients.context: " : "risk.scores: ") + what;
    }
  }

  private static byte[] score(RiskScore s) {
    return Topics.RISK_SCORES.valueSerde().serializer().serialize(null, s);
  }

  private static byte[] context(PatientContext c) {
    return Topics.PATIENTS_CONTEXT.valueSerde().serializer().serialize(null, c);
  }

  private static final byte[] VICTIM = Topics.PATIENT_KEY.encode(PatientKeys.of(TENANT, "victim"));

  @Provide
  Arbitrary<Hostile> hostile() {
    byte[] valid = score(Scores.score(Instant.now(), 0.5, 6));
    Arbitrary<Hostile> bytes =
        Arbitraries.oneOf(
            Combinators.combine(
                    Arbitraries.of(true, false),
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as((c, b) -> new Hostile(c, VICTIM, b, "random bytes " + b.length)),
            Arbitraries.integers()
                .between(0, valid.length - 1)
                .map(n -> new Hostile(false, VICTIM, Arrays.copyOf(valid, n), "score cut at " + n)),
            Combinators.combine(
                    Arbitraries.integers().between(2, valid.length - 1),
                    Arbitraries.bytes().filter(b -> b != 0))
                .as(
                    (at, x) -> {
                      byte[] b = valid.clone();
                      b[at] ^= x;
                      return new Hostile(false, VICTIM, b, "score byte " + at + " flipped");
                    }),
            Arbitraries.of(
                new Hostile(false, VICTIM, null, "null score"),
                new Hostile(true, VICTIM, null, "context tombstone")),
            Arbitraries.oneOf(
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                    Arbitraries.strings()
                        .ofMinLength(129)
                        .ofMaxLength(50_000)
                        .map(p -> Topics.PATIENT_KEY.encode(new PatientKey(TENANT, p))),
                    Arbitraries.of("", "a/b", "\u0000", "x".repeat(300))
                        .map(t -> Topics.PATIENT_KEY.encode(new PatientKey(t, "victim"))))
                .map(k -> new Hostile(false, k, valid, "odd key of " + k.length + " bytes")));
    Arbitrary<Hostile> scores =
        Combinators.combine(
                Arbitraries.of(
                    Double.NaN, Double.POSITIVE_INFINITY, -1.0, 2.0, -Double.MAX_VALUE, null, 0.99),
                Arbitraries.of(-5, 21, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE, 9),
                Arbitraries.of(
                    Instant.ofEpochMilli(Long.MAX_VALUE),
                    Instant.ofEpochMilli(Long.MIN_VALUE),
                    Instant.EPOCH,
                    Instant.parse("2200-01-01T00:00:00Z"),
                    Instant.now()),
                Arbitraries.of(0, 1, 5000),
                Arbitraries.oneOf(
                    Arbitraries.of("lstm-1", "", "\u202Eevil", "nul\u0000"),
                    Arbitraries.strings().ofMinLength(1000).ofMaxLength(20_000)))
            .as(
                (risk, total, end, contributors, model) -> {
                  RiskScore s = Scores.score(Instant.now(), 0.5, 6);
                  s.setLstmRisk(risk);
                  s.getNews2().setTotal(total);
                  s.getNews2().setPulse(total);
                  s.setWindowEnd(end);
                  // A window that ends before it starts (but stays within epoch milliseconds).
                  s.setWindowStart(
                      end.toEpochMilli() > Long.MAX_VALUE - 3_600_000
                          ? end
                          : end.plusSeconds(3600));
                  s.setContributors(
                      Collections.nCopies(
                          contributors, new Contributor(VitalType.HEART_RATE, 0.1)));
                  s.setModelVersion(model);
                  s.setRevision(total);
                  return new Hostile(
                      false,
                      VICTIM,
                      score(s),
                      "score risk " + risk + " news2 " + total + " " + end);
                });
    Arbitrary<Hostile> contexts =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.of(
                        List.<String>of(), List.of(""), List.of("ward\u0000"), List.of("a/b")),
                    Arbitraries.strings().ofMaxLength(100).list().ofMaxSize(3000)),
                Arbitraries.of(
                    Instant.ofEpochMilli(Long.MIN_VALUE), Instant.ofEpochMilli(Long.MAX_VALUE)))
            .as(
                (teams, time) -> {
                  PatientContext c = SampleRecords.context();
                  c.setCareTeams(teams);
                  c.setAge(Integer.MIN_VALUE);
                  c.setConsciousnessTime(time);
                  c.setUpdatedAt(time);
                  return new Hostile(
                      true, VICTIM, context(c), "context with " + teams.size() + " teams");
                });
    return Arbitraries.oneOf(bytes, scores, contexts);
  }

  @Property(tries = 5)
  void thePatientsNextScoreReachesTheNurseWhateverWasWrittenBefore(
      @ForAll @Size(min = 1, max = 25) List<@From("hostile") Hostile> records) throws Exception {
    PatientKey patient = PatientKeys.of(TENANT, "p-" + UUID.randomUUID());
    byte[] key = Topics.PATIENT_KEY.encode(patient);
    int partition = Utils.toPositive(Utils.murmur2(key)) % Topics.PATIENT_PARTITIONS;
    for (Hostile h : records) {
      String topic = h.context() ? Topics.PATIENTS_CONTEXT.name() : Topics.RISK_SCORES.name();
      byte[] k = h.key() == null || h.key().length == 0 ? VICTIM : h.key();
      raw.send(new ProducerRecord<>(topic, partition, k, h.value())).get(30, TimeUnit.SECONDS);
    }
    Instant t = Instant.now().minus(Duration.ofMinutes(30));
    raw.send(
            new ProducerRecord<>(
                Topics.PATIENTS_CONTEXT.name(),
                partition,
                key,
                // Registered before its first score, as ingest's platforms do: with equal event
                // times Kafka Streams may take either first.
                context(Scores.context(t.minus(Duration.ofMinutes(1)), "ward-2"))))
        .get(30, TimeUnit.SECONDS);
    raw.send(
            new ProducerRecord<>(
                Topics.RISK_SCORES.name(), partition, key, score(Scores.score(t, 0.2, 8))))
        .get(30, TimeUnit.SECONDS);

    String listed = "\"patient\":\"" + PatientKeys.format(patient) + "\"";
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> r = bob.get("/api/alerts");
              return r.statusCode() == 200 && r.body().contains(listed);
            });
    HttpResponse<String> health = new Browserless(app.base).get("/health");
    assertEquals(200, health.statusCode(), health.body());
    String metrics = new Browserless(app.base).get("/metrics").body();
    assertFalse(
        metrics
            .lines()
            .anyMatch(l -> l.startsWith("vigil_alerts_component_up{") && l.endsWith(" 0.0")),
        metrics);
  }
}
