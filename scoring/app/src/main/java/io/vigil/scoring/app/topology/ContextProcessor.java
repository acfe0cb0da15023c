package io.vigil.scoring.app.topology;

import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest {@link PatientContext} of each patient (the patients.context table) in a store
 * the window processor reads when it scores. A tombstone removes the patient's context. A record
 * whose key or value cannot be decoded, and one whose key breaks the identifier rules ({@link
 * io.vigil.schemas.Identifiers}: INVALID_VALUE, the detail naming the field and the rule), goes to
 * vitals.rejected with its origin, like a bad reading, and changes no context.
 */
final class ContextProcessor implements Processor<byte[], byte[], Object, Object> {
  private final ScoringMetrics metrics;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Bytes, byte[]> contexts;

  ContextProcessor(ScoringMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.contexts = context.getStateStore(ScoringTopology.CONTEXT_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElse(null);
    metrics.recordIn(source == null ? "unknown" : source.topic());
    RawPatientKey raw = RawPatientKey.read(record.key());
    if (raw.problem() != null) {
      reject(record, raw.problem().reason(), raw.problem().detail(), source);
      return;
    }
    Bytes storeKey = Bytes.wrap(StateKeys.patient(raw.key()));
    if (record.value() == null) {
      contexts.delete(storeKey);
      return;
    }
    PatientContext patient;
    try {
      patient =
          Topics.PATIENTS_CONTEXT.valueSerde().deserializer().deserialize(null, record.value());
    } catch (SerializationException e) {
      reject(record, Rejections.reasonOf(e), Rejections.describeMessage(e), source);
      return;
    }
    contexts.put(
        storeKey, Topics.PATIENTS_CONTEXT.valueSerde().serializer().serialize(null, patient));
  }

  private void reject(
      Record<byte[], byte[]> record, RejectionReason reason, String detail, RecordMetadata source) {
    metrics.rejected(reason);
    context.forward(
        new Record<Object, Object>(
            null,
            Rejections.of(
                source,
                record.key(),
                record.value(),
                reason,
                detail,
                null,
                context.currentSystemTimeMs()),
            record.timestamp()),
        ScoringTopology.REJECTED_SINK);
  }
}
