package io.vigil.alerts.ward;

import java.time.Instant;

/**
 * What the ward overview keeps of one patient, in as few bytes as a Java object allows (about 300
 * with its key and map entry; see the README's figure): the latest value and measurement time of
 * each vital the overview shows, the last and previous scored window's NEWS2 and LSTM risk, the
 * ACVPU assessment and the patient's care team. Guarded by the {@link WardView}'s lock.
 */
final class PatientRow {
  /** Vitals the overview shows, in column order: HR, RR, SpO2, BP sys, BP dia, Temp. */
  static final int VITALS = 6;

  /** Unset int fields. */
  static final int NONE = Integer.MIN_VALUE;

  final String key;

  /** {@code tenant/team} from patients.context (first care team), or the tenant's fallback team. */
  String team;

  /** True while patients.context holds a record for the patient. */
  boolean hasContext;

  final float[] value = new float[VITALS];

  /** Measurement time of {@link #value}, epoch milliseconds; 0 when none. */
  final long[] at = new long[VITALS];

  /** ACVPU as the Consciousness enum's ordinal, -1 when not reported. */
  byte acvpu = -1;

  long acvpuAt;
  int news2 = NONE;
  int previousNews2 = NONE;
  boolean news2Complete;
  boolean singleParameter3;

  /** From patients.context: NEWS2 SpO2 scale 2 prescribed; supplemental oxygen. */
  boolean spo2Scale2;

  boolean oxygen;
  float risk = Float.NaN;
  float previousRisk = Float.NaN;
  float threshold = Float.NaN;

  /** End of the last scored window, epoch milliseconds; 0 when none. */
  long windowEnd;

  /** When anything of this patient last arrived (wall clock, epoch milliseconds). */
  long touched;

  PatientRow(String key) {
    this.key = key;
    java.util.Arrays.fill(value, Float.NaN);
  }

  String tenant() {
    return key.substring(0, key.indexOf('/'));
  }

  /** Newest measurement time of any vital, or null. */
  Instant lastReading() {
    long newest = 0;
    for (long t : at) {
      newest = Math.max(newest, t);
    }
    return newest == 0 ? null : Instant.ofEpochMilli(newest);
  }
}
