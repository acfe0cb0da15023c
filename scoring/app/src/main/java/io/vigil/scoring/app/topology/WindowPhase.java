package io.vigil.scoring.app.topology;

import java.util.Locale;

/**
 * Where each patient's window ends fall within the cadence ({@code SCORING_WINDOW_PHASE}).
 *
 * <p>With every patient's windows ending on the same multiples of the cadence, each cadence
 * boundary makes the windows of all patients due at once, and the last of them waits for all the
 * others to be scored: the wait grows with the number of patients. With a phase per patient the
 * windows come due spread evenly over the cadence, a few at a time.
 */
public enum WindowPhase {
  /** Each patient's windows end at multiples of the cadence plus the patient's own phase. */
  PATIENT,
  /** Every patient's windows end on multiples of the cadence (phase 0). */
  ALIGNED;

  /** The setting's value: {@code patient} or {@code aligned} (any case, surrounding blanks). */
  public static WindowPhase parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "patient" -> PATIENT;
      case "aligned" -> ALIGNED;
      default ->
          throw new IllegalArgumentException(
              "SCORING_WINDOW_PHASE must be patient or aligned, got '" + value + "'");
    };
  }

  /**
   * A patient's phase in whole seconds, in {@code [0, cadenceSeconds)}: the 64-bit FNV-1a hash of
   * the patient's state key (length-prefixed tenant and patient id, {@link StateKeys#patient}),
   * mixed by the MurmurHash3 finaliser, modulo the cadence. Fixed for a given key and cadence on
   * every instance and in every version.
   */
  static long offsetSeconds(byte[] patientKey, long cadenceSeconds) {
    long h = 0xcbf29ce484222325L;
    for (byte b : patientKey) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return Long.remainderUnsigned(h, cadenceSeconds);
  }
}
