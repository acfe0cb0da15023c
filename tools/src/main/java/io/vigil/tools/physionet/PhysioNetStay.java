package io.vigil.tools.physionet;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

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
 * exactly what the live pipeline would accept. The hour buckets and windows of a stay are built in
 * scoring/core ({@code io.vigil.scoring.physionet.StayWindows}), with the topology's own code.
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

  private static Instant requireWholeHour(Instant start) {
    if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
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
