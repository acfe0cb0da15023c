package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.scoring.app.state.BucketState;
import io.vigil.scoring.app.state.ClockState;
import io.vigil.scoring.app.state.DueState;
import io.vigil.scoring.app.state.HistoryState;
import io.vigil.scoring.app.state.HourRow;
import io.vigil.scoring.app.state.HourSlot;
import io.vigil.scoring.app.state.VitalSummary;
import io.vigil.scoring.features.HourSummary;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The serdes of the topology's state rows: internal Avro records ({@code src/main/avro/io/vigil/
 * scoring/app/state}) in the single-object encoding of the public contract, and the conversion of
 * an {@link HourSummary} row to and from its record. A row that does not decode is a fault of the
 * state, reported as {@link IllegalStateException} naming the row.
 */
final class StateRows {
  static {
    // The generated classes' own field-by-field coders instead of the generic schema walk: rows
    // are read and written several times per scored window. Each generated class has its own
    // model, so this touches nothing outside these state rows.
    for (Class<?> type :
        List.of(
            BucketState.class,
            HistoryState.class,
            ClockState.class,
            DueState.class,
            HourSlot.class,
            HourRow.class,
            VitalSummary.class)) {
      SpecificData.getForClass(type).setCustomCoders(true);
    }
  }

  static final AvroSerde<BucketState> BUCKETS = AvroSerde.of(BucketState.class);
  static final AvroSerde<HistoryState> HISTORIES = AvroSerde.of(HistoryState.class);
  static final AvroSerde<ClockState> CLOCKS = AvroSerde.of(ClockState.class);
  static final AvroSerde<DueState> DUE = AvroSerde.of(DueState.class);

  /** Position of each vital's field in {@link HourRow}, by {@link Vital#ordinal()}. */
  private static final int[] FIELDS = new int[Vital.values().length];

  static {
    for (Vital vital : Vital.values()) {
      Schema.Field field = HourRow.getClassSchema().getField(vital.code());
      if (field == null) {
        throw new IllegalStateException("HourRow has no field for vital " + vital.code());
      }
      FIELDS[vital.ordinal()] = field.pos();
    }
  }

  private StateRows() {}

  static <T extends org.apache.avro.specific.SpecificRecord> T decode(
      AvroSerde<T> serde, byte[] bytes) {
    try {
      return serde.decode(bytes);
    } catch (SerializationException e) {
      throw new IllegalStateException("unreadable state row: " + e.getMessage(), e);
    }
  }

  static HourRow row(HourSummary[] summaries) {
    HourRow row = new HourRow();
    for (int v = 0; v < summaries.length; v++) {
      HourSummary s = summaries[v];
      if (s != null) {
        row.put(
            FIELDS[v],
            new VitalSummary(
                s.count(), s.sumScaled(), s.min(), s.max(), s.last(), s.lastTimeMillis()));
      }
    }
    return row;
  }

  static HourSummary[] summaries(HourRow row) {
    HourSummary[] summaries = new HourSummary[Vital.values().length];
    for (int v = 0; v < summaries.length; v++) {
      VitalSummary s = (VitalSummary) row.get(FIELDS[v]);
      if (s != null) {
        summaries[v] =
            new HourSummary(
                s.getCount(),
                s.getSumScaled(),
                s.getMin(),
                s.getMax(),
                s.getLast(),
                s.getLastTime());
      }
    }
    return summaries;
  }

  /** A time that may be {@code none}, as an optional field. */
  static Long optional(long time, long none) {
    return time == none ? null : time;
  }

  static long orNone(Long time, long none) {
    return time == null ? none : time;
  }
}
