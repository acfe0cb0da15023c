package io.vigil.scoring.physionet;

import io.vigil.scoring.features.HourBuckets;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.tools.physionet.PhysioNetStay;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PhysioNet stay as the scoring topology holds it once the stay was replayed through ingest: its
 * hour buckets and the window scored for each row, made by the topology's own code ({@link
 * HourBuckets}, {@link WindowAssembler}) from the readings and times {@link PhysioNetStay} gives.
 * Training and evaluation read stays through it; the replay tests compare live scores with its
 * windows.
 */
public final class StayWindows {
  private StayWindows() {}

  /** Hour buckets of every plausible reading of the stay, monitored from {@code start}. */
  public static Map<Long, HourSummary[]> buckets(PhysioNetStay stay, Instant start) {
    HourBuckets buckets = new HourBuckets();
    for (PhysioNetStay.Reading reading : stay.readings(start)) {
      buckets.add(reading.vital(), reading.value(), reading.time());
    }
    return buckets.buckets();
  }

  /**
   * One window per row, in row order, each ending at the end of its row's hour, with monitoring
   * start {@link PhysioNetStay#EPOCH}.
   */
  public static List<PatientWindow> windows(PhysioNetStay stay, WindowAssembler assembler) {
    Instant start = PhysioNetStay.EPOCH;
    Map<Long, HourSummary[]> buckets = buckets(stay, start);
    List<PatientWindow> windows = new ArrayList<>(stay.rows().size());
    for (PhysioNetStay.Row row : stay.rows()) {
      Instant end = PhysioNetStay.windowEnd(start, row.iculos());
      windows.add(assembler.assemble(end, buckets, stay.age(), stay.sex(), start));
    }
    return windows;
  }
}
