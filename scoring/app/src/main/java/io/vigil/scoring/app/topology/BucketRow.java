package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.app.state.BucketState;
import io.vigil.scoring.app.state.ReadingHash;
import io.vigil.scoring.features.HourSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One patient's bucket as stored: the {@link HourSummary} of each vital read in it and the hashes
 * of the (source, reading id) pairs counted in it, for deduplication ({@link ReadingDedupe}).
 * Keeping the hashes in the row (8 bytes each) makes a reading one read and one write of its
 * bucket. The hashes go once the patient's clock has moved the allowed lateness past the bucket (no
 * reading can fall in it any more); the summaries stay while a revision can need them.
 *
 * <p>Stored as a {@code BucketState} record ({@link StateRows#buckets}).
 */
final class BucketRow {
  private final HourSummary[] summaries;
  private long[] ids;
  private int idCount;

  private BucketRow(HourSummary[] summaries, long[] ids, int idCount) {
    this.summaries = summaries;
    this.ids = ids;
    this.idCount = idCount;
  }

  /** The stored row, or an empty one for null. */
  static BucketRow decode(byte[] bytes) {
    if (bytes == null) {
      return new BucketRow(new HourSummary[Vital.values().length], new long[4], 0);
    }
    BucketState state = StateRows.decode(StateRows.buckets(), bytes);
    List<ReadingHash> hashes = state.getReadingHashes();
    long[] ids = new long[hashes.size() + 1];
    for (int i = 0; i < hashes.size(); i++) {
      ids[i] = bigEndian(hashes.get(i).bytes());
    }
    return new BucketRow(StateRows.summaries(state.getSummaries()), ids, hashes.size());
  }

  /** Summaries indexed by {@link Vital#ordinal()}; elements may be changed in place. */
  HourSummary[] summaries() {
    return summaries;
  }

  /** True when a reading with this hash was counted in the bucket. */
  boolean counted(long hash) {
    for (int i = 0; i < idCount; i++) {
      if (ids[i] == hash) {
        return true;
      }
    }
    return false;
  }

  /** True when the row still holds reading hashes. */
  boolean hasHashes() {
    return idCount > 0;
  }

  /**
   * Drops the reading hashes, keeping the summaries: for a bucket no reading can fall in any more
   * ({@link ReadingDedupe#hashesFrom}).
   */
  void dropHashes() {
    idCount = 0;
    ids = new long[0];
  }

  /** Records a reading's hash as counted. */
  void count(long hash) {
    if (idCount == ids.length) {
      ids = Arrays.copyOf(ids, Math.max(4, ids.length * 2));
    }
    ids[idCount++] = hash;
  }

  byte[] encode() {
    List<ReadingHash> hashes = new ArrayList<>(idCount);
    for (int i = 0; i < idCount; i++) {
      hashes.add(new ReadingHash(bigEndian(ids[i])));
    }
    return StateRows.buckets().encode(new BucketState(StateRows.row(summaries), hashes));
  }

  private static long bigEndian(byte[] bytes) {
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = value << 8 | (bytes[i] & 0xFF);
    }
    return value;
  }

  private static byte[] bigEndian(long value) {
    byte[] bytes = new byte[Long.BYTES];
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      bytes[i] = (byte) value;
      value >>>= 8;
    }
    return bytes;
  }
}
