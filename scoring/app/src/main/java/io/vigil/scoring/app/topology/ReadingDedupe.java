package io.vigil.scoring.app.topology;

import io.vigil.schemas.vitals.VitalObservation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deduplication of readings: a reading is identified by (source, reading id), hashed to 64 bits and
 * kept in the {@link BucketRow} of the bucket it fell in, for as long as a reading can still fall
 * in that bucket ({@link #hashesFrom}: the allowed lateness), so a repeat of any reading that can
 * still count is found in its own bucket with one read. Not thread-safe (one per processor).
 */
final class ReadingDedupe {
  private final MessageDigest sha256;

  ReadingDedupe() {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** The reading's hash. */
  long hash(VitalObservation reading) {
    return hash(reading.getSourceId(), reading.getReadingId());
  }

  /** The first 64 bits of SHA-256(length of source, source, reading id): the dedup key. */
  long hash(String sourceId, String readingId) {
    byte[] source = sourceId.getBytes(StandardCharsets.UTF_8);
    byte[] id = readingId.getBytes(StandardCharsets.UTF_8);
    sha256.reset();
    sha256.update(ByteBuffer.allocate(4).putInt(source.length).array());
    sha256.update(source);
    sha256.update(id);
    return ByteBuffer.wrap(sha256.digest()).getLong();
  }

  /**
   * Start of the first bucket whose reading hashes are still needed once the patient's latest
   * reading is at {@code maxTime}: a reading more than the allowed lateness behind it is too late,
   * so none can fall in an earlier bucket (and the latest time only moves forward). Earlier buckets
   * keep only their summaries.
   */
  static long hashesFrom(ScoringConfig config, long maxTime) {
    return config.bucketStart(maxTime - config.allowedLatenessMs());
  }

  /**
   * Counts the reading with this hash in its bucket row unless it was counted there already: false
   * for a duplicate (the row is then unchanged).
   */
  static boolean admit(BucketRow row, long hash) {
    if (row.counted(hash)) {
      return false;
    }
    row.count(hash);
    return true;
  }
}
