package io.vigil.scoring.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The arrival-order property against a real broker: the scoring service (exactly_once_v2, RocksDB,
 * six partitions) gets a generated ward twice, once in measurement order under one tenant and once
 * delayed, reordered and partly repeated under another; read with read_committed, both have a score
 * for exactly the windows that hold readings, and each window's final revision equals its in-order
 * score.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArrivalOrderBrokerTest {
  private final Instant start =
      Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
  private ScoringInstance service;
  private ScoringConfig config;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", TestKafka.unique("scoring-order"));
    env.put("SCORING_STATE_DIR", Files.createTempDirectory("scoring-order").toString());
    env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
    // The two tenants' copies of a patient must share window ends to be compared: phase 0 (the
    // same property with per-patient phases runs in ArrivalOrderPropertyTest).
    env.put("SCORING_WINDOW_PHASE", "aligned");
    service = ScoringInstance.start(env, TestModels.untrained(3));
    config = service.topology();
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  static Stream<ArrivalScenario.Case> cases() {
    return ArrivalScenario.Case.sample(3, 24, 30, Duration.ofHours(12))
        .map(c -> new ArrivalScenario.Case(24, c.maxHours(), c.maxDelayMinutes(), 1, c.seed()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheSameWindowsWithTheSameFinalScoresWhateverTheArrivalOrder(
      ArrivalScenario.Case c, TestKafka kafka) throws Exception {
    ArrivalScenario ward = c.scenario(start);
    String inOrder = TestKafka.unique("in-order");
    String shuffled = TestKafka.unique("shuffled");
    try (KafkaProducer<PatientKey, VitalObservation> producer =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      List<Future<?>> acks = new ArrayList<>();
      for (int i = 0; i < Math.max(ward.inOrder().size(), ward.arrival().size()); i++) {
        if (i < ward.inOrder().size()) {
          acks.add(send(producer, inOrder, ward.inOrder().get(i)));
        }
        if (i < ward.arrival().size()) {
          acks.add(send(producer, shuffled, ward.arrival().get(i)));
        }
      }
      for (Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    }
    TreeSet<String> due = topologyWindows(ward.dueWindows(config, inOrder));
    Map<String, List<Map.Entry<String, RiskScore>>> emitted =
        readUntilQuiet(kafka, List.of(inOrder, shuffled), due.size());

    Map<String, RiskScore> expected = ArrivalScenario.finalScores(emitted.get(inOrder));
    Map<String, RiskScore> actual = ArrivalScenario.finalScores(emitted.get(shuffled));
    long revisions = emitted.get(shuffled).size() - actual.size();
    System.out.printf(
        java.util.Locale.ROOT,
        "%s: %d readings, %d windows due, %d scored in order, %d scored reordered with %d"
            + " revisions%n",
        c,
        ward.inOrder().size(),
        due.size(),
        expected.size(),
        actual.size(),
        revisions);
    assertEquals(emitted.get(inOrder).size(), expected.size(), "in order nothing is revised");
    assertEquals(due, expected.keySet(), "every window with data, in order");
    assertEquals(due, actual.keySet(), "every window with data, reordered");
    for (Map.Entry<String, RiskScore> e : expected.entrySet()) {
      RiskScore got = actual.get(e.getKey());
      assertEquals(e.getValue().getLstmRisk(), got.getLstmRisk(), 1e-6, e.getKey());
      assertEquals(e.getValue().getNews2(), got.getNews2(), e.getKey());
      assertEquals(e.getValue().getCompleteness(), got.getCompleteness(), e.getKey());
    }
  }

  private static Future<?> send(
      KafkaProducer<PatientKey, VitalObservation> producer, String tenant, ArrivalScenario.Sent s) {
    return producer.send(
        new ProducerRecord<>(Topics.VITALS_OBSERVATIONS.name(), s.key(tenant), s.reading()));
  }

  private static TreeSet<String> topologyWindows(Map<String, TreeSet<Instant>> due) {
    TreeSet<String> ids = new TreeSet<>();
    due.forEach((patient, ends) -> ends.forEach(e -> ids.add(patient + "@" + e)));
    return ids;
  }

  /**
   * Scores of the given tenants by tenant, read with read_committed until each tenant has at least
   * {@code windows} and nothing new came for 3 s (or 120 s passed).
   */
  private static Map<String, List<Map.Entry<String, RiskScore>>> readUntilQuiet(
      TestKafka kafka, List<String> tenants, int windows) {
    Map<String, List<Map.Entry<String, RiskScore>>> byTenant = new HashMap<>();
    tenants.forEach(t -> byTenant.put(t, new ArrayList<>()));
    Instant deadline = Instant.now().plusSeconds(120);
    Instant lastNew = Instant.now();
    try (KafkaConsumer<PatientKey, RiskScore> consumer = kafka.consumer(Topics.RISK_SCORES)) {
      consumer.subscribe(List.of(Topics.RISK_SCORES.name()));
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<PatientKey, RiskScore> r : consumer.poll(Duration.ofMillis(200))) {
          List<Map.Entry<String, RiskScore>> list =
              r.key() == null ? null : byTenant.get(r.key().getTenant());
          if (list != null) {
            list.add(new AbstractMap.SimpleEntry<>(r.key().getPatientId(), r.value()));
            lastNew = Instant.now();
          }
        }
        boolean enough =
            byTenant.values().stream()
                .allMatch(
                    l ->
                        l.stream()
                                .map(e -> e.getKey() + e.getValue().getWindowEnd())
                                .distinct()
                                .count()
                            >= windows);
        if (enough && Duration.between(lastNew, Instant.now()).toSeconds() >= 3) {
          break;
        }
      }
    }
    return byTenant;
  }
}
