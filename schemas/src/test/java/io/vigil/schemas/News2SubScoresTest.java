package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.schemas.testing.SampleRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class News2SubScoresTest {

  @Test
  void shouldListTheSevenSubScoresInChartOrderWithMissingAsNull() {
    Map<String, Integer> sub = News2SubScores.of(SampleRecords.riskScore().getNews2());
    assertEquals(
        List.of(
            "respirationRate",
            "spo2",
            "airOrOxygen",
            "systolicBp",
            "pulse",
            "consciousness",
            "temperature"),
        List.copyOf(sub.keySet()));
    assertEquals(2, sub.get("respirationRate"));
    assertEquals(1, sub.get("spo2"));
    assertEquals(0, sub.get("airOrOxygen"));
    assertEquals(1, sub.get("systolicBp"));
    assertEquals(2, sub.get("pulse"));
    assertNull(sub.get("consciousness"));
    assertEquals(0, sub.get("temperature"));
  }
}
