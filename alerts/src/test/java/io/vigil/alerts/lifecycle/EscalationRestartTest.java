package io.vigil.alerts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.AlertEventsTopic;
import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle on a real broker under exactly-once: the streams app stops inside an escalation
 * window and comes back on an empty state directory (state restored from the changelog). The
 * escalation still happens, once; a second restart right after it does not repeat it.
 */
@WithKafka
class EscalationRestartTest {
  private static final Duration HIGH_LIMIT = Duration.ofSeconds(8);

  /** A clean stop leaves the group, so the next instance need not wait out the session. */
  private static final KafkaStreams.CloseOptions LEAVE =
      new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true);

  private static LifecycleConfig settings() {
    TeamPolicy fast =
        TeamPolicy.defaults().toBuilder()
            .ackLimits(
                Map.of(
                    AlertPriority.HIGH, HIGH_LIMIT,
                    AlertPriority.MEDIUM, Duration.ofHours(1),
                    AlertPriority.LOW, Duration.ofHours(1)))
            .build();
    return LifecycleConfig.defaults(PolicyBook.of(fast))
        .withFallbackTeam("ward-1")
        .withTimers(Duration.ofMillis(200), Duration.ofHours(1), Duration.ofHours(1));
  }

  private static KafkaStreams start(TestKafka kafka, String appId) throws Exception {
    KafkaStreams streams =
        new KafkaStreams(
            AlertsTopology.build(settings()),
            AlertsTopology.streamsConfig(
                appId, kafka.bootstrapServers(), Files.createTempDirectory("alerts-state")));
    streams.start();
    return streams;
  }

  /** The patient's events on alerts.events that {@code filter} accepts. */
  private static List<AlertEvent> events(
      TestKafka kafka, PatientKey p, int count, Duration timeout, Predicate<AlertEvent> filter) {
    return AlertEventsTopic.read(kafka, count, timeout, (k, e) -> p.equals(k) && filter.test(e));
  }

  @Test
  void shouldEscalateExactlyOnceAcrossRestartsInsideTheEscalationWindow(TestKafka kafka)
      throws Exception {
    try (var admin = kafka.admin()) {
      TopicAdmin.ensureTopics(admin, AlertsTopics.all(), (short) 1);
    }
    String appId = TestKafka.unique("alerts-restart");
    PatientKey p = PatientKeys.of(TestKafka.unique("restart"), "p1");
    KafkaStreams first = start(kafka, appId);
    AlertEvent notified;
    try {
      kafka.produce(
          Topics.RISK_SCORES,
          Map.of(p, Scores.score(Instant.now().minus(Duration.ofMinutes(10)), 0.2, 8)));
      notified =
          events(kafka, p, 1, Duration.ofSeconds(60), e -> e.getType() == AlertEventType.NOTIFIED)
              .get(0);
    } finally {
      first.close(LEAVE);
    }
    Instant deadline = notified.getTime().plus(HIGH_LIMIT);
    assertTrue(Instant.now().isBefore(deadline), "the first instance must stop inside the window");

    KafkaStreams second = start(kafka, appId);
    AlertEvent escalated;
    try {
      escalated =
          events(kafka, p, 1, Duration.ofSeconds(60), e -> e.getType() == AlertEventType.ESCALATED)
              .get(0);
    } finally {
      second.close(LEAVE);
    }
    assertEquals(1, escalated.getTier());
    assertEquals(notified.getAlertId(), escalated.getAlertId());
    assertFalse(escalated.getTime().isBefore(deadline), "not before the team's limit");

    KafkaStreams third = start(kafka, appId);
    try {
      kafka.produce(
          Topics.ALERTS_ACTIONS,
          Map.of(
              p,
              Scores.action(
                  "ack-" + p.getTenant(),
                  notified.getAlertId(),
                  AlertActionType.ACKNOWLEDGE,
                  "nurse.ada",
                  Instant.now())));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !events(
                          kafka,
                          p,
                          1,
                          Duration.ofSeconds(2),
                          e -> e.getType() == AlertEventType.ACKNOWLEDGED)
                      .isEmpty());
    } finally {
      third.close(LEAVE);
    }
    List<AlertEvent> all = events(kafka, p, 1000, Duration.ofSeconds(3), e -> true);
    assertEquals(
        1,
        all.stream()
            .filter(e -> e.getType() == AlertEventType.ESCALATED && e.getTier() == 1)
            .count(),
        "escalated to the charge nurse exactly once: " + all);
    assertEquals(
        1,
        all.stream()
            .filter(e -> e.getType() == AlertEventType.NOTIFIED && e.getTier() == 1)
            .count(),
        "charge nurse notified exactly once");
    assertEquals(1, all.stream().filter(e -> e.getType() == AlertEventType.RAISED).count());
    assertEquals(
        all.size(),
        all.stream().map(AlertEvent::getEventId).distinct().count(),
        "no event id repeated: " + all);
  }
}
