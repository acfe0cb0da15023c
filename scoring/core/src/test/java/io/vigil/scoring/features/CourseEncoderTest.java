package io.vigil.scoring.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The course features on a hand-built 24-hour window whose figures can be worked out by hand. */
class CourseEncoderTest {
  static final Instant END = Instant.parse("2026-03-01T12:00:00Z");
  static final long H = WindowAssembler.HOUR_MILLIS;

  private static void put(Map<Long, HourSummary[]> b, int hoursBeforeEnd, Vital v, double... xs) {
    long start = END.toEpochMilli() - hoursBeforeEnd * H;
    HourSummary s = null;
    for (int i = 0; i < xs.length; i++) {
      s = HourSummary.merge(s, HourSummary.of(xs[i], start + (i + 1) * 60_000L));
    }
    b.computeIfAbsent(start, k -> new HourSummary[Vital.values().length])[v.ordinal()] = s;
  }

  private static int col(String name, FeatureSet set) {
    int c = set.names().indexOf(name);
    assertTrue(c >= 0, name);
    return c;
  }

  /** Heart rate 80 for the first six hours of the history, then rising 4 per hour to 140. */
  private static PatientWindow risingHeartRate() {
    Map<Long, HourSummary[]> b = new HashMap<>();
    for (int k = 24; k >= 19; k--) {
      put(b, k, Vital.HEART_RATE, 78, 82); // slots 0-5, hourly mean 80
    }
    for (int k = 15; k >= 1; k--) {
      put(b, k, Vital.HEART_RATE, 140 - 4 * (k - 1)); // slots 9-23: 84 ... 140
    }
    put(b, 1, Vital.SYSTOLIC_BP, 95);
    put(b, 1, Vital.DIASTOLIC_BP, 55);
    put(b, 1, Vital.RESPIRATORY_RATE, 24);
    put(b, 1, Vital.BODY_TEMPERATURE, 38.5);
    return new WindowAssembler(24).assemble(END, b, 70.0, Sex.MALE, END.minusMillis(30 * H));
  }

  @Test
  void shouldDescribeTheCourseOfAVitalFromItsHourlyMeans() {
    FeatureSet set = FeatureSet.COURSE;
    float[][] x = set.encode(risingHeartRate(), 12);
    assertEquals(12, x.length, "the last 12 hours of the 24-hour history");
    assertEquals(set.features(), x[0].length);
    float[] last = x[11];
    assertEquals(140f, last[col("heart_rate", set)]);
    assertEquals(130f, last[col("heart_rate_mean_6h", set)], 1e-4, "120..140 step 4");
    assertEquals(120f, last[col("heart_rate_min_6h", set)]);
    assertEquals(140f, last[col("heart_rate_max_6h", set)]);
    assertEquals(4f, last[col("heart_rate_slope_6h", set)], 1e-4, "per hour");
    assertEquals(20f, last[col("heart_rate_change_6h", set)]);
    assertEquals(60f, last[col("heart_rate_change_24h", set)], 1e-4, "140 - 80");
    assertEquals(60f, last[col("heart_rate_from_baseline", set)], 1e-4, "baseline 80");
    // Hours above 90 in the last 24: 92 ... 140 is 13 hours.
    assertEquals(13f, last[col("heart_rate_abnormal_hours_24h", set)]);
    assertEquals(140f / 95f, last[col("shock_index", set)], 1e-5);
    assertEquals(40f, last[col("pulse_pressure", set)]);
    assertEquals(3f, last[col("sirs_vitals", set)]);
    assertEquals(2f, last[col("qsofa_vitals", set)]);
    assertEquals(3f, last[col("news2_pulse", set)]);
    assertEquals(2f, last[col("news2_respiration_rate", set)]);
    assertEquals(2f, last[col("news2_systolic_bp", set)], "91-100");
    assertEquals(1f, last[col("news2_temperature", set)]);
    assertEquals(8f, last[col("news2_vitals_total", set)], "SpO2 unknown scores 0");
    assertEquals(70f, last[col("age", set)]);
    assertEquals(1f, last[col("sex_male", set)]);
    assertEquals(30f, last[col("hours_monitored", set)]);
    // The first step (12 hours before the end) sees only the history up to its own hour.
    float[] first = x[0];
    assertEquals(96f, first[col("heart_rate", set)], "slot 12: 140 - 4 * 11");
    assertTrue(Float.isNaN(first[col("systolic_bp", set)]), "not yet measured");
    assertTrue(Float.isNaN(first[col("shock_index", set)]));
    assertTrue(Float.isNaN(first[col("systolic_bp_std_24h", set)]));
  }

  @Test
  void shouldAddTheTimingGroupOnlyWhenAsked() {
    PatientWindow w = risingHeartRate();
    FeatureSet timing = FeatureSet.COURSE_TIMING;
    assertFalse(FeatureSet.COURSE.names().contains("heart_rate_observed"));
    assertEquals(
        FeatureSet.COURSE.names(),
        timing.names().subList(0, FeatureSet.COURSE.features()),
        "the timing group is appended");
    float[][] x = timing.encode(w, 12);
    float[][] without = FeatureSet.COURSE.encode(w, 12);
    for (int t = 0; t < 12; t++) {
      for (int f = 0; f < without[t].length; f++) {
        assertEquals(without[t][f], x[t][f], 0f, "step " + t + " " + timing.names().get(f));
      }
    }
    float[] last = x[11];
    assertEquals(1f, last[col("heart_rate_observed", timing)]);
    assertEquals(1f - 1 / 60f, last[col("heart_rate_hours_since", timing)], 1e-5);
    // 15 rising hours of one reading each and the six baseline hours of two.
    assertEquals(
        (float) Math.log1p(15 + 2 * 6), last[col("heart_rate_readings_24h", timing)], 1e-5);
    assertEquals(0f, x[0][col("systolic_bp_observed", timing)]);
    assertEquals(FeatureEncoder.MAX_HOURS_SINCE, x[0][col("systolic_bp_hours_since", timing)]);
  }

  @Test
  void shouldRecogniseABundlesFeatureSetByItsNames() {
    for (FeatureSet set : FeatureSet.values()) {
      assertEquals(set, FeatureSet.of(set.names()));
      assertEquals(set, FeatureSet.fromOption(set.optionName()));
    }
    assertThrows(IllegalArgumentException.class, () -> FeatureSet.of(List.of("heart_rate")));
    assertThrows(
        IllegalArgumentException.class,
        () -> FeatureSet.HOURLY.encode(risingHeartRate(), 12),
        "hourly features read the whole window");
  }
}
