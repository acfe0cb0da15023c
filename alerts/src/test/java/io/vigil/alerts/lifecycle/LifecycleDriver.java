package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The lifecycle topology under TopologyTestDriver, with a controllable wall clock. */
final class LifecycleDriver implements AutoCloseable {
  static final Instant WALL = Instant.parse("2026-03-01T09:00:00Z");
  final TopologyTestDriver driver;
  final TestInputTopic<PatientKey, RiskScore> scores;
  final TestInputTopic<PatientKey, PatientContext> contexts;
  final TestInputTopic<PatientKey, AlertAction> actions;
  final TestInputTopic<PatientKey, AlertEvent> deadLetters;
  final TestOutputTopic<PatientKey, AlertEvent> events;

  LifecycleDriver() throws Exception {
    this(
        LifecycleConfig.defaults(PolicyBook.of(TeamPolicy.defaults()))
            .withFallbackTeam("ward-1")
            .withTimers(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO));
  }

  LifecycleDriver(LifecycleConfig settings) throws Exception {
    Path state = Files.createTempDirectory("alerts-ttd");
    Properties props = AlertsTopology.streamsConfig("alerts-ttd", "unused:9092", state);
    driver = new TopologyTestDriver(AlertsTopology.build(settings), props, WALL);
    scores =
        driver.createInputTopic(
            Topics.RISK_SCORES.name(),
            Topics.RISK_SCORES.keySerde().serializer(),
            Topics.RISK_SCORES.valueSerde().serializer());
    contexts =
        driver.createInputTopic(
            Topics.PATIENTS_CONTEXT.name(),
            Topics.PATIENTS_CONTEXT.keySerde().serializer(),
            Topics.PATIENTS_CONTEXT.valueSerde().serializer());
    actions =
        driver.createInputTopic(
            Topics.ALERTS_ACTIONS.name(),
            Topics.ALERTS_ACTIONS.keySerde().serializer(),
            Topics.ALERTS_ACTIONS.valueSerde().serializer());
    deadLetters =
        driver.createInputTopic(
            AlertsTopics.WEBHOOK_DEAD_LETTER.name(),
            AlertsTopics.WEBHOOK_DEAD_LETTER.keySerde().serializer(),
            AlertsTopics.WEBHOOK_DEAD_LETTER.valueSerde().serializer());
    events =
        driver.createOutputTopic(
            Topics.ALERTS_EVENTS.name(),
            Topics.ALERTS_EVENTS.keySerde().deserializer(),
            Topics.ALERTS_EVENTS.valueSerde().deserializer());
  }

  static PatientKey patient(String id) {
    return PatientKeys.of("clinic-a", id);
  }

  /** Scores with the record timestamp as the broker would append it (later than event time). */
  void score(PatientKey key, RiskScore score) {
    scores.pipeInput(key, score, score.getWindowEnd().plusSeconds(3600));
  }

  List<AlertEvent> drain() {
    return events.readValuesToList();
  }

  KeyValueStore<String, AlertState> alerts() {
    return driver.getKeyValueStore(AlertsTopology.ALERTS_STORE);
  }

  @Override
  public void close() {
    driver.close();
  }
}
