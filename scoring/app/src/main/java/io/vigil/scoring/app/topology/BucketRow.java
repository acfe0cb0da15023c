package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.HourSummary;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One patient's bucket as stored: the {@link HourSummary} of each vital read in it and the hashes
 * of the (source, reading id) pairs counted in it, for deduplication. Keeping the hashes in the row
 * (8 bytes each) makes a reading one read and one write of its bucket, and scoring deletes a
 * bucket's hashes with the bucket.
 *
 * <p>Stored form: a byte with one bit per vital present ({@code 0x80} set when hashes follow), then
 * the summary of each present vital in {@link Vital} order (the 44-byte big-endian layout of {@link
 * HourSummary#write}), then the hash count (4 bytes) and the hashes. Rows written before the hashes
 * moved here have no {@code 0x80} bit; their hashes are in the readings store ({@link #legacy()}).
 * Hour slots of the window history use the form without hashes.
 */
final class BucketRow {
  private static final int WITH_IDS = 0x80;

  private final HourSummary[] summaries;
  private final boolean legacy;
  private long[] ids;
  private int idCount;

  private BucketRow(HourSummary[] summaries, long[] ids, int idCount, boolean legacy) {
    this.summaries = summaries;
    this.ids = ids;
    this.idCount = idCount;
    this.legacy = legacy;
  }

  /** The stored row, or an empty one for null. */
  static BucketRow decode(byte[] bytes) {
    if (bytes == null) {
      return new BucketRow(new HourSummary[Vital.values().length], new long[4], 0, false);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      int flags = Byte.toUnsignedInt(in.get(0));
      HourSummary[] summaries = read(in, Vital.values().length);
      if ((flags & WITH_IDS) == 0) {
        return new BucketRow(summaries, new long[4], 0, true);
      }
      int n = in.getInt();
      long[] ids = new long[n + 1];
      for (int i = 0; i < n; i++) {
        ids[i] = in.getLong();
      }
      return new BucketRow(summaries, ids, n, false);
    } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
      throw new IllegalStateException("corrupt bucket row in the state store", e);
    }
  }

  /** Summaries indexed by {@link Vital#ordinal()}; elements may be changed in place. */
  HourSummary[] summaries() {
    return summaries;
  }

  /** True for a row written before reading hashes moved into it (see the readings store). */
  boolean legacy() {
    return legacy;
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

  /** Records a reading's hash as counted. */
  void count(long hash) {
    if (idCount == ids.length) {
      ids = Arrays.copyOf(ids, Math.max(4, ids.length * 2));
    }
    ids[idCount++] = hash;
  }

  byte[] encode() {
    int mask = mask(summaries);
    ByteBuffer out =
        ByteBuffer.allocate(
            1 + Integer.bitCount(mask) * HourSummary.BYTES + 4 + idCount * Long.BYTES);
    out.put((byte) (mask | WITH_IDS));
    writeSummaries(out, summaries);
    out.putInt(idCount);
    for (int i = 0; i < idCount; i++) {
      out.putLong(ids[i]);
    }
    return out.array();
  }

  /** The form without hashes: mask byte and summaries (hour slots of the window history). */
  static byte[] encodeSummaries(HourSummary[] row) {
    int mask = mask(row);
    ByteBuffer out = ByteBuffer.allocate(1 + Integer.bitCount(mask) * HourSummary.BYTES);
    out.put((byte) mask);
    writeSummaries(out, row);
    return out.array();
  }

  /**
   * Reads the summaries of one row from {@code in}'s position, leaving it after the summaries
   * (before the hash count, if the row has hashes).
   */
  static HourSummary[] read(ByteBuffer in, int vitals) {
    HourSummary[] row = new HourSummary[vitals];
    try {
      int mask = Byte.toUnsignedInt(in.get()) & ~WITH_IDS;
      for (int i = 0; i < vitals; i++) {
        if ((mask & (1 << i)) != 0) {
          row[i] =
              new HourSummary(
                  in.getInt(),
                  in.getLong(),
                  in.getDouble(),
                  in.getDouble(),
                  in.getDouble(),
                  in.getLong());
        }
      }
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IllegalStateException("corrupt bucket row in the state store", e);
    }
    return row;
  }

  private static int mask(HourSummary[] row) {
    int mask = 0;
    for (int i = 0; i < row.length; i++) {
      if (row[i] != null) {
        mask |= 1 << i;
      }
    }
    return mask;
  }

  private static void writeSummaries(ByteBuffer out, HourSummary[] row) {
    for (HourSummary s : row) {
      if (s != null) {
        out.putInt(s.count())
            .putLong(s.sumScaled())
            .putDouble(s.min())
            .putDouble(s.max())
            .putDouble(s.last())
            .putLong(s.lastTimeMillis());
      }
    }
  }
}
