package io.vigil.scoring.app.topology;

import io.vigil.schemas.Identifiers;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a raw {@code vitals.observations} record: the measurement time in its payload (the
 * topic's own timestamps are broker append times).
 *
 * <p>A record the intake processor will reject keeps the partition's time instead, so that one
 * corrupt record, one record breaking the identifier rules or one device with a wrong clock cannot
 * move stream time: an undecodable key or value, a key or reading whose identifiers break {@link
 * Identifiers}' rules, a time that is negative or later than its receipt plus {@link
 * ObservationValidator#CLOCK_SKEW_MS}. Never throws (Kafka Streams treats an exception here as
 * fatal for the stream thread) and never returns a negative time (Kafka Streams would drop the
 * record silently).
 */
public final class ObservationTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long fallback = Math.max(0, partitionTime);
    if (!(record.key() instanceof byte[] keyBytes) || !(record.value() instanceof byte[] bytes)) {
      return fallback;
    }
    try {
      PatientKey key = Topics.PATIENT_KEY.decode(keyBytes);
      VitalObservation observation =
          Topics.VITALS_OBSERVATIONS.valueSerde().deserializer().deserialize(record.topic(), bytes);
      if (key == null
          || observation == null
          || Identifiers.check(key, observation) != null
          || ObservationValidator.timeProblem(observation) != null) {
        return fallback;
      }
      return observation.getTime().toEpochMilli();
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
