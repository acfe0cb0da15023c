package io.vigil.scoring.app.topology;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes raw {@code vitals.observations} records and validates them. Good readings go on to the
 * window processor; anything else becomes a dead letter on vitals.rejected with the raw bytes, its
 * origin and a specific reason, inside the same transaction, and the stream goes on.
 *
 * <p>The key is checked before the value: a key that is not a {@code PatientKey} is UNDECODABLE or
 * UNKNOWN_SCHEMA, one whose tenant or patient id breaks the identifier rules ({@link
 * io.vigil.schemas.Identifiers}, the rules ingest applies) is INVALID_VALUE with a detail naming
 * the field and the rule; such a dead letter has no record key, since the key is what is wrong.
 * Every reading passed on has identifiers within those rules, so no state-store key built from it
 * can be out of bounds.
 */
final class IntakeProcessor implements Processor<byte[], byte[], Object, Object> {
  private final ScoringMetrics metrics;
  private ProcessorContext<Object, Object> context;

  IntakeProcessor(ScoringMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElse(null);
    metrics.recordIn(source == null ? "unknown" : source.topic());
    RawPatientKey raw = RawPatientKey.read(record.key());
    if (raw.problem() != null) {
      reject(record, null, raw.problem().reason(), raw.problem().detail(), source);
      return;
    }
    PatientKey key = raw.key();
    if (record.value() == null) {
      reject(record, key, RejectionReason.INVALID_VALUE, "record has no value", source);
      return;
    }
    VitalObservation observation;
    try {
      observation =
          Topics.VITALS_OBSERVATIONS.valueSerde().deserializer().deserialize(null, record.value());
    } catch (SerializationException e) {
      reject(record, key, Rejections.reasonOf(e), Rejections.describeMessage(e), source);
      return;
    }
    ObservationValidator.Problem problem = ObservationValidator.check(key, observation);
    if (problem != null) {
      reject(record, key, problem.reason(), problem.detail(), source);
      return;
    }
    context.forward(
        new Record<Object, Object>(key, observation, record.timestamp()),
        ScoringTopology.WINDOWS_PROCESSOR);
  }

  private void reject(
      Record<byte[], byte[]> record,
      PatientKey key,
      RejectionReason reason,
      String detail,
      RecordMetadata source) {
    metrics.rejected(reason);
    RejectedObservation dead =
        Rejections.of(
            source,
            record.key(),
            record.value(),
            reason,
            detail,
            record.timestamp(),
            context.currentSystemTimeMs());
    context.forward(
        new Record<Object, Object>(key, dead, record.timestamp()), ScoringTopology.REJECTED_SINK);
  }
}
