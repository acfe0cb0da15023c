package io.vigil.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.simulator.DeteriorationCheck;
import io.vigil.tools.simulator.EpisodeType;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundle shipped on the classpath: complete, small, and it reacts to deterioration. */
class DefaultBundleTest {
  static ModelBundle bundle;

  @BeforeAll
  static void load() {
    bundle = ModelBundle.loadDefault();
  }

  @Test
  void shouldShipACompleteTrainedBundleUnderFiveMegabytes() throws Exception {
    long bytes = 0;
    for (String name :
        new String[] {
          "network.zip",
          "normaliser.json",
          "calibration.json",
          "metadata.json",
          "baseline-logistic.json"
        }) {
      try (InputStream in =
          ModelBundle.class.getResourceAsStream(ModelBundle.DEFAULT_RESOURCE + name)) {
        assertTrue(in != null, name + " is shipped");
        bytes += in.readAllBytes().length;
      }
    }
    assertTrue(bytes < 5_000_000, "bundle is " + bytes + " bytes");
    BundleMetadata meta = bundle.metadata();
    assertFalse(meta.version().startsWith("untrained"));
    assertEquals(FeatureEncoder.names(), meta.features());
    assertEquals(12, meta.windowHours());
    assertEquals("half-news2-alert-rate", meta.thresholds().get(0).name());
    double t = meta.defaultThreshold();
    assertTrue(t > 0 && t < 1, "threshold " + t);
    assertTrue(meta.metrics().containsKey("test"), "test-part figures recorded");
  }

  @Test
  void shouldRaiseRiskOnSimulatedDeteriorationOfEveryKind() {
    DeteriorationCheck.Result r = DeteriorationCheck.run(bundle, 45, 7);
    double stable = DeteriorationCheck.Result.mean(r.stable());
    for (EpisodeType type : EpisodeType.values()) {
      double before = DeteriorationCheck.Result.mean(r.before().get(type));
      double after = DeteriorationCheck.Result.mean(r.after().get(type));
      assertTrue(after > before, type + ": risk before " + before + ", after " + after);
      assertTrue(after > stable, type + ": risk after " + after + ", stable patients " + stable);
    }
  }
}
