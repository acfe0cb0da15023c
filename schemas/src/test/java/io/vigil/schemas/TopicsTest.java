package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void everyTopicHasAUniqueNameAndPatientTopicsTheSharedPartitionCount() {
    Set<String> names = new HashSet<>();
    for (TopicSpec<?, ?> topic : Topics.all()) {
      assertTrue(names.add(topic.name()), "duplicate " + topic.name());
      if (topic != Topics.SERVICES_STATUS) {
        assertEquals(Topics.PATIENT_PARTITIONS, topic.partitions(), topic.name());
      }
    }
    assertEquals(1, Topics.SERVICES_STATUS.partitions());
    assertEquals(
        Set.of(
            "vitals.observations",
            "vitals.rejected",
            "patients.context",
            "risk.scores",
            "alerts.events",
            "alerts.actions",
            "alerts.dead-letter",
            "audit.reads",
            "services.status"),
        names);
  }

  @Test
  void retentionCountsFromArrivalSoOldEventTimesAreKept() {
    for (TopicSpec<?, ?> topic : Topics.all()) {
      assertEquals("LogAppendTime", topic.config().get("message.timestamp.type"), topic.name());
    }
  }

  @Test
  void contextIsCompactedAndTheAuditTrailNeverExpires() {
    assertEquals("compact", Topics.PATIENTS_CONTEXT.cleanupPolicy());
    assertEquals(-1, Topics.ALERTS_EVENTS.retentionMs());
    assertEquals(-1, Topics.AUDIT_READS.retentionMs());
    assertTrue(Topics.RISK_SCORES.retentionMs() > Duration.ofDays(14).toMillis());
  }

  @Test
  void deadLettersAreKeptLongEnoughToInspectAndReplay() {
    assertEquals("delete", Topics.ALERTS_DEAD_LETTER.cleanupPolicy());
    assertEquals(Duration.ofDays(30).toMillis(), Topics.ALERTS_DEAD_LETTER.retentionMs());
    byte[] raw = {(byte) 0xC3, 1, 42};
    assertEquals(
        3, Topics.ALERTS_DEAD_LETTER.valueSerde().deserializer().deserialize("t", raw).length);
  }
}
