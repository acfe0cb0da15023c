package io.vigil.scoring.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {
  static final Instant END = Instant.parse("2024-05-01T12:00:00Z");
  static final long H = WindowAssembler.HOUR_MILLIS;

  private static void put(
      Map<Long, HourSummary[]> b, int hoursBeforeEnd, Vital v, double x, long offset) {
    long start = END.toEpochMilli() - hoursBeforeEnd * H;
    b.computeIfAbsent(start, k -> new HourSummary[Vital.values().length])[v.ordinal()] =
        HourSummary.of(x, start + offset);
  }

  @Test
  void shouldCarryValuesForwardAndCountHoursSinceTheLastReading() {
    Map<Long, HourSummary[]> b = new HashMap<>();
    put(b, 4, Vital.HEART_RATE, 110, 30 * 60_000); // slot 8, read at :30
    put(b, 2, Vital.HEART_RATE, 120, 45 * 60_000); // slot 10, read at :45
    PatientWindow w =
        new WindowAssembler(12).assemble(END, b, 64.0, Sex.FEMALE, END.minusMillis(20 * H));
    float[][] x = FeatureEncoder.encode(w);
    int hr = FeatureEncoder.valueColumn(Vital.HEART_RATE);
    assertEquals(12, x.length);
    assertEquals(FeatureEncoder.FEATURES, x[0].length);
    // Before the first reading in the window: value unknown, not observed, hours-since at its cap.
    assertTrue(Float.isNaN(x[7][hr]));
    assertEquals(0f, x[7][hr + 1]);
    assertEquals(FeatureEncoder.MAX_HOURS_SINCE, x[7][hr + 2]);
    assertEquals(110f, x[8][hr]);
    assertEquals(1f, x[8][hr + 1]);
    assertEquals(0.5f, x[8][hr + 2], 1e-6);
    assertEquals(110f, x[9][hr], "carried forward");
    assertEquals(0f, x[9][hr + 1]);
    assertEquals(1.5f, x[9][hr + 2], 1e-6);
    assertEquals(120f, x[10][hr]);
    assertEquals(0.25f, x[10][hr + 2], 1e-6);
    assertEquals(120f, x[11][hr]);
    assertEquals(1.25f, x[11][hr + 2], 1e-6);
    int base = Vital.values().length * FeatureEncoder.PER_VITAL;
    assertEquals(64f, x[11][base]);
    assertEquals(0f, x[11][base + 1], "female");
    assertEquals(20f, x[11][base + 2], "hours monitored at the window end");
    assertEquals(9f, x[0][base + 2]);
    assertEquals(FeatureEncoder.FEATURES, FeatureEncoder.names().size());
    assertEquals("heart_rate_hours_since", FeatureEncoder.names().get(hr + 2));
  }

  @Test
  void shouldEncodeUnknownPatientFactsAsMissing() {
    PatientWindow w = new WindowAssembler(3).assemble(END, Map.of(), null, null, null);
    float[][] x = FeatureEncoder.encode(w);
    int base = Vital.values().length * FeatureEncoder.PER_VITAL;
    assertTrue(Float.isNaN(x[2][base]));
    assertEquals(0.5f, x[2][base + 1]);
    assertTrue(Float.isNaN(x[2][base + 2]));
  }

  @Test
  void shouldEndTheLastSlotAtTheWindowEndWhenWindowsEndMidHour() {
    Map<Long, HourSummary[]> b = new HashMap<>();
    put(b, 1, Vital.HEART_RATE, 90, 0);
    PatientWindow w =
        new WindowAssembler(2).assemble(END.plusSeconds(20 * 60), b, null, null, null);
    assertEquals(END.minusSeconds(3600), w.windowStart());
    assertEquals(END.plusSeconds(20 * 60), w.slotEnd(1));
    float[][] x = FeatureEncoder.encode(w);
    int hr = FeatureEncoder.valueColumn(Vital.HEART_RATE);
    assertEquals(0f, x[1][hr + 1], "the hour after the reading has none");
    assertEquals(1f + 20f / 60f, x[1][hr + 2], 1e-5);
  }
}
