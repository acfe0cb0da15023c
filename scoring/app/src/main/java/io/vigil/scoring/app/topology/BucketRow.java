package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.HourSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of one patient's bucket: a byte with one bit per vital present, then the {@link
 * HourSummary} of each present vital in {@link Vital} order. At most 1 + 7 × 44 bytes.
 */
final class BucketRow {
  private BucketRow() {}

  static byte[] encode(HourSummary[] row) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 + HourSummary.BYTES * 2);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      int mask = 0;
      for (int i = 0; i < row.length; i++) {
        if (row[i] != null) {
          mask |= 1 << i;
        }
      }
      out.writeByte(mask);
      for (HourSummary summary : row) {
        if (summary != null) {
          summary.write(out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static HourSummary[] decode(byte[] bytes) {
    HourSummary[] row = new HourSummary[Vital.values().length];
    if (bytes == null) {
      return row;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int mask = in.readUnsignedByte();
      for (int i = 0; i < row.length; i++) {
        if ((mask & (1 << i)) != 0) {
          row[i] = HourSummary.read(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt bucket row in the state store", e);
    }
    return row;
  }
}
