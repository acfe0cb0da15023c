package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KafkaRoundTripTest {

  static <V> void roundTrip(TestKafka kafka, TopicSpec<PatientKey, V> topic, V value)
      throws Exception {
    PatientKey key = PatientKeys.of(TestKafka.unique("tenant"), "p-1");
    kafka.produce(topic, Map.of(key, value));
    List<ConsumerRecord<PatientKey, V>> read =
        kafka.consume(topic, 1, Duration.ofSeconds(30), r -> key.equals(r.key()));
    assertEquals(1, read.size(), "record not read back from " + topic);
    assertEquals(value, read.get(0).value());
  }

  static void everyRecordType(TestKafka kafka) throws Exception {
    roundTrip(
        kafka,
        Topics.VITALS_OBSERVATIONS,
        SampleRecords.observation("r-1", Vital.OXYGEN_SATURATION, 93, SampleRecords.T0));
    roundTrip(kafka, Topics.VITALS_REJECTED, SampleRecords.rejected());
    roundTrip(kafka, Topics.PATIENTS_CONTEXT, SampleRecords.context());
    roundTrip(kafka, Topics.RISK_SCORES, SampleRecords.riskScore());
    roundTrip(kafka, Topics.ALERTS_EVENTS, SampleRecords.alertEvent());
    roundTrip(kafka, Topics.ALERTS_ACTIONS, SampleRecords.alertAction());
  }

  @Nested
  @WithKafka
  class OneBroker {
    @Test
    void everyRecordTypeSurvivesARealBroker(TestKafka kafka) throws Exception {
      everyRecordType(kafka);
    }

    @Test
    void recordsWithOldEventTimesAreKeptByRetention(TestKafka kafka) throws Exception {
      var old =
          SampleRecords.observation(
              "r-old", Vital.HEART_RATE, 70, SampleRecords.T0.minus(Duration.ofDays(400)));
      roundTrip(kafka, Topics.VITALS_OBSERVATIONS, old);
    }
  }

  @Nested
  @WithKafka(brokers = 3)
  class ThreeBrokers {
    @Test
    void topicsAreReplicatedThreeTimesAndRecordsRoundTrip(TestKafka kafka) throws Exception {
      assertEquals(3, kafka.brokerCount());
      try (Admin admin = kafka.admin()) {
        Map<String, TopicDescription> topics =
            admin.describeTopics(Set.of(Topics.RISK_SCORES.name())).allTopicNames().get();
        topics
            .values()
            .forEach(t -> t.partitions().forEach(p -> assertEquals(3, p.replicas().size())));
      }
      everyRecordType(kafka);
    }
  }
}
