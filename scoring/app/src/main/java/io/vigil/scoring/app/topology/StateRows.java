package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
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
 * The codecs of the topology's state rows: internal Avro records ({@code src/main/avro/io/vigil/
 * scoring/app/state}) in the single-object encoding of the public contract ({@link StateCodec}),
 * and the conversion of an {@link HourSummary} row to and from its record. A row that does not
 * decode is a fault of the state, reported as {@link IllegalStateException} naming the row.
 */
final class StateRows {
  static {
    // The generated classes' own field-by-field coders instead of the generic schema walk (and
    // instead of Avro's "fast" reader, which bypasses them and boxes every field): rows are read
    // and written several times per scored window. Each generated class has its own model, so
    // this touches nothing outside these state rows.
    for (Class<?> type :
        List.of(
            BucketState.class,
            HistoryState.class,
            ClockState.class,
            DueState.class,
            HourSlot.class,
            HourRow.class,
            VitalSummary.class)) {
      SpecificData model = SpecificData.getForClass(type);
      model.setCustomCoders(true);
      model.setFastReaderEnabled(false);
    }
  }

  /** A thread's codecs of the four rows (a codec reuses its buffers and record). */
  private static final class Codecs {
    final StateCodec<BucketState> buckets = new StateCodec<>(BucketState.class);
    final StateCodec<HistoryState> histories = new StateCodec<>(HistoryState.class);
    final StateCodec<ClockState> clocks = new StateCodec<>(ClockState.class);
    final StateCodec<DueState> due = new StateCodec<>(DueState.class);
  }

  private static final ThreadLocal<Codecs> CODECS = ThreadLocal.withInitial(Codecs::new);

  /** This thread's codec of bucket rows (store {@code scoring-buckets}). */
  static StateCodec<BucketState> buckets() {
    return CODECS.get().buckets;
  }

  /** This thread's codec of history rows (store {@code scoring-history}). */
  static StateCodec<HistoryState> histories() {
    return CODECS.get().histories;
  }

  /** This thread's codec of clock rows (store {@code scoring-clocks}). */
  static StateCodec<ClockState> clocks() {
    return CODECS.get().clocks;
  }

  /** This thread's codec of due rows (store {@code scoring-due}). */
  static StateCodec<DueState> due() {
    return CODECS.get().due;
  }

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

  /**
   * Decodes a row with this thread's codec; the record returned is reused by the codec's next
   * decode.
   */
  static <T extends org.apache.avro.specific.SpecificRecordBase> T decode(
      StateCodec<T> codec, byte[] bytes) {
    try {
      return codec.decode(bytes);
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
