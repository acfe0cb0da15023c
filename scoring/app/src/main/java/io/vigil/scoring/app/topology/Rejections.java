package io.vigil.scoring.app.topology;

import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds dead letters for vitals.rejected with where the record came from and why. */
final class Rejections {
  static final String REJECTED_BY = "vigil-scoring";

  private Rejections() {}

  static RejectedObservation of(
      RecordMetadata source,
      byte[] key,
      byte[] value,
      RejectionReason reason,
      String detail,
      Long recordTime,
      long now) {
    return RejectedObservation.newBuilder()
        .setTopic(source == null ? "unknown" : source.topic())
        .setPartition(source == null ? -1 : source.partition())
        .setOffset(source == null ? -1 : source.offset())
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setReason(reason)
        .setDetail(detail)
        .setRecordTime(recordTime == null ? null : Instant.ofEpochMilli(recordTime))
        .setRejectedAt(Instant.ofEpochMilli(now))
        .setRejectedBy(REJECTED_BY)
        .build();
  }
}
