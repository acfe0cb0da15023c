package io.vigil.alerts;

import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Reads alerts.events on a shared broker: records other tests wrote there that nobody can decode
 * are passed over, as the service itself passes over them.
 */
public final class AlertEventsTopic {
  private static final TopicSpec<byte[], byte[]> RAW =
      new TopicSpec<>(
          Topics.ALERTS_EVENTS.name(),
          Serdes.ByteArray(),
          Serdes.ByteArray(),
          Topics.PATIENT_PARTITIONS,
          Map.of());

  private AlertEventsTopic() {}

  /** Up to {@code count} events, from the beginning, whose key and value {@code filter} accepts. */
  public static List<AlertEvent> read(
      TestKafka kafka, int count, Duration timeout, BiPredicate<PatientKey, AlertEvent> filter) {
    return kafka.consume(RAW, count, timeout, r -> decode(r, filter) != null).stream()
        .map(r -> decode(r, filter))
        .toList();
  }

  private static AlertEvent decode(
      ConsumerRecord<byte[], byte[]> r, BiPredicate<PatientKey, AlertEvent> filter) {
    try {
      String topic = Topics.ALERTS_EVENTS.name();
      PatientKey key = Topics.ALERTS_EVENTS.keySerde().deserializer().deserialize(topic, r.key());
      AlertEvent e = Topics.ALERTS_EVENTS.valueSerde().deserializer().deserialize(topic, r.value());
      return filter.test(key, e) ? e : null;
    } catch (RuntimeException undecodable) {
      return null;
    }
  }
}
