package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.HourSummary;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The stored form of one patient's bucket: a byte with one bit per vital present, then the {@link
 * HourSummary} of each present vital in {@link Vital} order (the 44-byte big-endian layout of
 * {@link HourSummary#write}). At most 1 + 7 × 44 bytes.
 */
final class BucketRow {
  private BucketRow() {}

  static byte[] encode(HourSummary[] row) {
    int mask = 0;
    int present = 0;
    for (int i = 0; i < row.length; i++) {
      if (row[i] != null) {
        mask |= 1 << i;
        present++;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(1 + present * HourSummary.BYTES);
    out.put((byte) mask);
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
    return out.array();
  }

  static HourSummary[] decode(byte[] bytes) {
    if (bytes == null) {
      return new HourSummary[Vital.values().length];
    }
    return read(ByteBuffer.wrap(bytes), Vital.values().length);
  }

  /** Reads one row from {@code in}'s position, leaving it after the row. */
  static HourSummary[] read(ByteBuffer in, int vitals) {
    HourSummary[] row = new HourSummary[vitals];
    try {
      int mask = Byte.toUnsignedInt(in.get());
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
}
