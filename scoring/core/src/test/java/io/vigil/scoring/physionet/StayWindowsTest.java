package io.vigil.scoring.physionet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StayWindowsTest {
  static Path fixture(String name) {
    try {
      return Path.of(StayWindowsTest.class.getResource("/physionet2019/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldProduceTheExpectedWindowForAFixtureStay() throws IOException {
    PhysioNetStay stay =
        PhysioNetReader.read(fixture("stays")).stays().stream()
            .filter(s -> s.id().equals("p000001"))
            .findFirst()
            .orElseThrow();
    assertEquals(54, stay.rows().size());
    assertEquals(83.0, stay.age(), "whole years");
    assertEquals(Sex.FEMALE, stay.sex());
    List<PatientWindow> windows = StayWindows.windows(stay, new WindowAssembler(12));
    assertEquals(54, windows.size());
    // Row ICULOS 4: window ends 4 h after the monitoring start and holds ICULOS -7..4.
    PatientWindow w = windows.get(3);
    assertEquals(PhysioNetStay.EPOCH.plusSeconds(4 * 3600), w.windowEnd());
    assertEquals(90.0, w.summary(11, Vital.HEART_RATE).mean());
    assertEquals(89.0, w.summary(10, Vital.HEART_RATE).mean());
    assertEquals(97.0, w.summary(9, Vital.HEART_RATE).mean());
    assertEquals(75.33, w.summary(9, Vital.MEAN_BP).mean(), 1e-9);
    assertNull(w.summary(8, Vital.HEART_RATE), "ICULOS 1 has no vitals");
    assertEquals(
        PhysioNetStay.EPOCH.plusSeconds(3 * 3600 + 1800).toEpochMilli(),
        w.summary(11, Vital.HEART_RATE).lastTimeMillis(),
        "values sit in the middle of their hour");
    float[][] x = FeatureEncoder.encode(w);
    int sbp = FeatureEncoder.valueColumn(Vital.SYSTOLIC_BP);
    assertEquals(122f, x[11][sbp], "carried forward from ICULOS 3");
    assertEquals(0f, x[11][sbp + 1]);
    assertEquals(1.5f, x[11][sbp + 2], 1e-6);
    assertEquals(4f, x[11][FeatureEncoder.FEATURES - 1], "hours monitored");
  }
}
