package io.vigil.scoring.features;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link PatientWindow} into the model's raw input, {@code float[hour][feature]}, oldest
 * hour first. Normalisation is the bundle's job ({@code io.vigil.scoring.model.Normaliser}).
 *
 * <p>Per vital, in {@link Vital} order, three features:
 *
 * <ul>
 *   <li>{@code <vital>}: the hour's mean; in an hour without readings the last observed hourly mean
 *       of the window carried forward; NaN before the vital's first reading in the window (the
 *       normaliser maps NaN to the training mean, i.e. 0 after standardisation);
 *   <li>{@code <vital>_observed}: 1 when the hour has at least one reading, else 0;
 *   <li>{@code <vital>_hours_since}: hours from the latest reading so far in the window to the end
 *       of this hour, capped at {@link #MAX_HOURS_SINCE}; {@link #MAX_HOURS_SINCE} before the
 *       vital's first reading in the window (the window does not know what came before it).
 * </ul>
 *
 * <p>Then three patient features, age and sex the same in every hour: {@code age} (years, NaN when
 * unknown), {@code sex_male} (1 male, 0 female, 0.5 other or unknown), {@code hours_monitored}
 * (hours from monitoring start to the end of this hour, clamped to [0, {@link
 * #MAX_HOURS_MONITORED}], NaN when the start is unknown). No laboratory values.
 */
public final class FeatureEncoder {
  public static final float MAX_HOURS_SINCE = 24f;
  public static final float MAX_HOURS_MONITORED = 168f;
  public static final int PER_VITAL = 3;
  private static final int VITALS = Vital.values().length;
  public static final int FEATURES = VITALS * PER_VITAL + 3;

  private static final List<String> NAMES = buildNames();

  private FeatureEncoder() {}

  /** Feature names in column order. */
  public static List<String> names() {
    return NAMES;
  }

  /** Column of the value feature of {@code vital}; mask is +1, hours-since is +2. */
  public static int valueColumn(Vital vital) {
    return vital.ordinal() * PER_VITAL;
  }

  /** True for columns holding a measured quantity (standardised by the normaliser). */
  public static boolean isContinuous(int column) {
    return column >= VITALS * PER_VITAL || column % PER_VITAL != 1;
  }

  public static float[][] encode(PatientWindow window) {
    int hours = window.hours();
    float[][] x = new float[hours][FEATURES];
    for (Vital vital : Vital.values()) {
      int col = valueColumn(vital);
      float carried = Float.NaN;
      long lastSeen = Long.MIN_VALUE;
      for (int t = 0; t < hours; t++) {
        HourSummary s = window.summary(t, vital);
        if (s != null) {
          carried = (float) s.mean();
          lastSeen = Math.max(lastSeen, s.lastTimeMillis());
        }
        x[t][col] = carried;
        x[t][col + 1] = s == null ? 0f : 1f;
        x[t][col + 2] =
            lastSeen == Long.MIN_VALUE ? MAX_HOURS_SINCE : hoursSince(lastSeen, window.slotEnd(t));
      }
    }
    float age = window.age() == null ? Float.NaN : window.age().floatValue();
    float sex = sexFeature(window.sex());
    int base = VITALS * PER_VITAL;
    for (int t = 0; t < hours; t++) {
      x[t][base] = age;
      x[t][base + 1] = sex;
      x[t][base + 2] = hoursMonitored(window, t);
    }
    return x;
  }

  /** Hours from a reading at {@code lastSeenMillis} to {@code to}, clamped to [0, 24]. */
  static float hoursSince(long lastSeenMillis, Instant to) {
    return clamp(hoursBetween(lastSeenMillis, to), 0f, MAX_HOURS_SINCE);
  }

  /**
   * Hours from monitoring start to the end of slot {@code slot}, clamped to [0, {@link
   * #MAX_HOURS_MONITORED}]; NaN when the start is unknown.
   */
  static float hoursMonitored(PatientWindow window, int slot) {
    Instant start = window.monitoringStart();
    return start == null
        ? Float.NaN
        : clamp(hoursBetween(start.toEpochMilli(), window.slotEnd(slot)), 0f, MAX_HOURS_MONITORED);
  }

  static float sexFeature(Sex sex) {
    if (sex == Sex.MALE) {
      return 1f;
    }
    return sex == Sex.FEMALE ? 0f : 0.5f;
  }

  private static float hoursBetween(long fromMillis, Instant to) {
    return (float) ((to.toEpochMilli() - fromMillis) / (double) WindowAssembler.HOUR_MILLIS);
  }

  private static float clamp(float v, float lo, float hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static List<String> buildNames() {
    List<String> names = new ArrayList<>();
    for (Vital vital : Vital.values()) {
      String code = vital.code().toLowerCase(Locale.ROOT);
      names.add(code);
      names.add(code + "_observed");
      names.add(code + "_hours_since");
    }
    names.add("age");
    names.add("sex_male");
    names.add("hours_monitored");
    return Collections.unmodifiableList(names);
  }
}
