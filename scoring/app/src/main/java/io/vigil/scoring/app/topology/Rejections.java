package io.vigil.scoring.app.topology;

import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds dead letters for vitals.rejected with where the record came from and why.
 *
 * <p>A dead letter always fits on vitals.rejected: the raw key and value are each kept up to {@link
 * #RAW_LIMIT} bytes (a longer one is cut, and the detail says so), whatever the size of the record
 * a producer managed to write to the input topic; the origin (topic, partition, offset) still leads
 * to the whole record for as long as the input topic keeps it.
 */
final class Rejections {
  static final String REJECTED_BY = "vigil-scoring";

  /** Most raw key or value bytes a dead letter carries. */
  static final int RAW_LIMIT = 256 * 1024;

  /** Most characters of an exception message a detail carries. */
  static final int MESSAGE_LIMIT = 200;

  private Rejections() {}

  static RejectedObservation of(
      RecordMetadata source,
      byte[] key,
      byte[] value,
      RejectionReason reason,
      String detail,
      Long recordTime,
      long now) {
    String text = detail == null || detail.isEmpty() ? reason.name() : detail;
    text += cutNote("key", key) + cutNote("value", value);
    return RejectedObservation.newBuilder()
        .setTopic(source == null ? "unknown" : source.topic())
        .setPartition(source == null ? -1 : source.partition())
        .setOffset(source == null ? -1 : source.offset())
        .setKey(key == null ? null : ByteBuffer.wrap(cut(key)))
        .setValue(value == null ? null : ByteBuffer.wrap(cut(value)))
        .setReason(reason)
        .setDetail(text)
        .setRecordTime(recordTime == null ? null : Instant.ofEpochMilli(recordTime))
        .setRejectedAt(Instant.ofEpochMilli(now))
        .setRejectedBy(REJECTED_BY)
        .build();
  }

  /** The reason of a record that cannot be decoded: its schema is unknown, or it is no record. */
  static RejectionReason reasonOf(SerializationException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.startsWith("unknown schema")
        ? RejectionReason.UNKNOWN_SCHEMA
        : RejectionReason.UNDECODABLE;
  }

  /** An exception as a detail: its class and its message as {@link #describeMessage} gives it. */
  static String describe(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getName()
        : e.getClass().getName() + ": " + describeMessage(e);
  }

  /**
   * An exception's message cut to its first {@link #MESSAGE_LIMIT} characters, so that a message
   * quoting a huge value stays short; its class name when it has no message.
   */
  static String describeMessage(Throwable e) {
    String message = e.getMessage();
    if (message == null) {
      return e.getClass().getName();
    }
    return message.length() <= MESSAGE_LIMIT
        ? message
        : message.substring(0, MESSAGE_LIMIT) + "... (" + message.length() + " characters)";
  }

  private static byte[] cut(byte[] raw) {
    return raw.length <= RAW_LIMIT ? raw : Arrays.copyOf(raw, RAW_LIMIT);
  }

  private static String cutNote(String what, byte[] raw) {
    return raw == null || raw.length <= RAW_LIMIT
        ? ""
        : "; "
            + what
            + " kept as its first "
            + RAW_LIMIT
            + " of "
            + raw.length
            + " bytes (the whole record is at the origin)";
  }
}
