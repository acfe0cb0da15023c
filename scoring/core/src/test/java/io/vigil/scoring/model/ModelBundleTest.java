package io.vigil.scoring.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  static PatientWindow window(double hr, int hours) {
    Instant end = Instant.parse("2024-03-01T12:00:00Z");
    Map<Long, HourSummary[]> buckets = new HashMap<>();
    for (int h = 1; h <= hours; h++) {
      long start = end.toEpochMilli() - h * WindowAssembler.HOUR_MILLIS;
      HourSummary[] slot = new HourSummary[Vital.values().length];
      slot[Vital.HEART_RATE.ordinal()] = HourSummary.of(hr, start + 60_000);
      slot[Vital.OXYGEN_SATURATION.ordinal()] = HourSummary.of(95, start + 60_000);
      buckets.put(start, slot);
    }
    return new WindowAssembler(12)
        .assemble(end, buckets, 70.0, Sex.MALE, end.minusSeconds(30 * 3600));
  }

  @Test
  void shouldReloadIdenticalParametersAndScores(@TempDir Path dir) throws Exception {
    ModelBundle bundle = ModelBundle.untrained(12, 7);
    bundle =
        new ModelBundle(
            bundle.network(),
            bundle.normaliser(),
            new PlattCalibration(0.8, -1.5),
            bundle.metadata());
    bundle.save(dir);
    ModelBundle loaded = ModelBundle.load(dir);

    assertEquals(bundle.network().params(), loaded.network().params());
    assertEquals(bundle.calibration(), loaded.calibration());
    assertArrayEquals(bundle.normaliser().mean(), loaded.normaliser().mean());
    assertEquals(bundle.metadata().version(), loaded.metadata().version());
    List<PatientWindow> windows = List.of(window(80, 12), window(140, 6));
    assertArrayEquals(bundle.scorer().score(windows), loaded.scorer().score(windows), 1e-12);
    assertTrue(Files.size(dir.resolve("network.zip")) < 5_000_000);
  }

  @Test
  void shouldRefuseFolderWithoutNetwork(@TempDir Path dir) throws Exception {
    ModelBundle.untrained(12, 7).save(dir);
    Files.delete(dir.resolve("network.zip"));
    Exception e = assertThrows(java.io.IOException.class, () -> ModelBundle.load(dir));
    assertTrue(e.getMessage().contains("network.zip"), e.getMessage());
  }

  @Test
  void shouldScoreBatchesLikeSingleWindowsAndExplainByOcclusion() {
    RiskScorer scorer = ModelBundle.untrained(12, 3).scorer();
    PatientWindow a = window(80, 12);
    PatientWindow b = window(150, 12);
    double[] batch = scorer.score(List.of(a, b));
    assertEquals(batch[0], scorer.score(List.of(a))[0], 1e-6);
    assertEquals(batch[1], scorer.copy().score(List.of(b))[0], 1e-6);
    var contributors = scorer.explain(List.of(a, b), 3);
    assertEquals(2, contributors.size());
    for (var list : contributors) {
      assertTrue(list.size() <= 2, "only observed vitals can contribute: " + list);
      list.forEach(c -> assertTrue(c.getAttribution() > 0));
    }
  }
}
