package io.vigil.scoring.physionet;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One PhysioNet 2019 ICU stay, reduced to what Vigil may use: the seven monitored vitals per hourly
 * row, age, sex and the hourly sepsis label. No laboratory values.
 *
 * <p><b>Stay hour to event time.</b> Every stay starts monitoring at one instant S on a whole hour
 * (ICU admission; {@link #EPOCH} offline, the replay's {@code --start} live; each stay is its own
 * patient). A row with {@code ICULOS = k} is the clock hour {@code [S + (k-1) h, S + k h)}; its
 * values are timestamped at the middle of that hour ({@link #readingTime}), and the row's window
 * ends at {@code S + k h} ({@link #windowEnd}), so the window scored for row k holds rows k-W+1..k.
 * Every feature is relative to S, so the windows do not depend on which S is chosen. Implausible
 * values (outside {@link Vital#isPlausible}, which ingest rejects) are dropped, so the reader sees
 * exactly what the live pipeline would accept.
 *
 * @param id stay id, the file name without {@code .psv}, e.g. {@code p000001}
 * @param age whole years (the challenge's Age rounded down, as the patient context carries it),
 *     null when missing
 * @param sex from Gender (0 female, 1 male), null when missing
 * @param rows hourly rows in file order
 */
public record PhysioNetStay(String id, Double age, Sex sex, List<Row> rows) {
  /** Monitoring start of every replayed stay. */
  public static final Instant EPOCH = Instant.parse("2019-01-01T00:00:00Z");

  /**
   * One hourly row.
   *
   * @param iculos hours since ICU admission (ICULOS), 1 for the first hour
   * @param vitals values indexed by {@link Vital#ordinal()}, NaN when not measured or implausible
   * @param sepsisLabel the challenge's label: 1 from 6 h before clinical sepsis onset onward
   */
  public record Row(int iculos, double[] vitals, int sepsisLabel) {}

  public PhysioNetStay {
    rows = List.copyOf(rows);
  }

  /** Event time of row values with {@code ICULOS = iculos}: the middle of the row's hour. */
  public static Instant readingTime(Instant start, int iculos) {
    return start.plusSeconds((iculos - 1) * 3600L + 1800L);
  }

  /** End of the window scored for the row with {@code ICULOS = iculos}. */
  public static Instant windowEnd(Instant start, int iculos) {
    return start.plusSeconds(iculos * 3600L);
  }

  static Instant requireWholeHour(Instant start) {
    if (start.toEpochMilli() % WindowAssembler.HOUR_MILLIS != 0) {
      throw new IllegalArgumentException("monitoring start must be on a whole hour, got " + start);
    }
    return start;
  }

  public boolean septic() {
    return rows.stream().anyMatch(r -> r.sepsisLabel() == 1);
  }

  /** Index of the first positively labelled row, or -1. */
  public int firstPositiveRow() {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).sepsisLabel() == 1) {
        return i;
      }
    }
    return -1;
  }

  /** Hour buckets as the scoring topology would hold them after ingesting this stay. */
  public Map<Long, HourSummary[]> buckets(Instant start) {
    requireWholeHour(start);
    Map<Long, HourSummary[]> buckets = new HashMap<>();
    for (Row row : rows) {
      long time = readingTime(start, row.iculos()).toEpochMilli();
      HourSummary[] slot = null;
      for (Vital vital : Vital.values()) {
        double v = row.vitals()[vital.ordinal()];
        if (!Double.isNaN(v)) {
          if (slot == null) {
            slot =
                buckets.computeIfAbsent(
                    WindowAssembler.bucketStart(time), k -> new HourSummary[Vital.values().length]);
          }
          slot[vital.ordinal()] = HourSummary.merge(slot[vital.ordinal()], HourSummary.of(v, time));
        }
      }
    }
    return buckets;
  }

  /** One window per row, in row order, with monitoring start {@link #EPOCH}. */
  public List<PatientWindow> windows(WindowAssembler assembler) {
    return windows(assembler, EPOCH);
  }

  /** One window per row, in row order, each ending at the end of its row's hour. */
  public List<PatientWindow> windows(WindowAssembler assembler, Instant start) {
    Map<Long, HourSummary[]> buckets = buckets(start);
    List<PatientWindow> windows = new ArrayList<>(rows.size());
    for (Row row : rows) {
      windows.add(assembler.assemble(windowEnd(start, row.iculos()), buckets, age, sex, start));
    }
    return windows;
  }

  /** Every plausible reading of the stay with its event time, in row then {@link Vital} order. */
  public List<Reading> readings(Instant start) {
    requireWholeHour(start);
    List<Reading> out = new ArrayList<>();
    for (Row row : rows) {
      for (Vital vital : Vital.values()) {
        double v = row.vitals()[vital.ordinal()];
        if (!Double.isNaN(v)) {
          out.add(new Reading(row.iculos(), vital, v, readingTime(start, row.iculos())));
        }
      }
    }
    return out;
  }

  /**
   * One reading of a stay.
   *
   * @param iculos the row's ICULOS
   * @param vital which vital
   * @param value in the vital's canonical unit
   * @param time event time
   */
  public record Reading(int iculos, Vital vital, double value, Instant time) {}
}
