package io.vigil.scoring.app.topology;

import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a raw {@code vitals.observations} record: the measurement time in its payload (the
 * topic's own timestamps are broker append times).
 *
 * <p>A record whose time cannot be trusted (undecodable, negative, or later than its receipt plus
 * {@link ObservationValidator#CLOCK_SKEW_MS}) keeps the partition's time instead, so that one
 * corrupt record or one device with a wrong clock cannot move stream time; the intake processor
 * then sends it to vitals.rejected. Never returns a negative time (Kafka Streams would drop the
 * record silently).
 */
public final class ObservationTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long fallback = Math.max(0, partitionTime);
    if (!(record.value() instanceof byte[] bytes)) {
      return fallback;
    }
    try {
      VitalObservation observation =
          Topics.VITALS_OBSERVATIONS.valueSerde().deserializer().deserialize(record.topic(), bytes);
      if (observation == null || ObservationValidator.timeProblem(observation) != null) {
        return fallback;
      }
      return observation.getTime().toEpochMilli();
    } catch (SerializationException e) {
      return fallback;
    }
  }
}
