package io.vigil.scoring.physionet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysioNetReaderTest {
  static Path fixture(String name) {
    try {
      return Path.of(PhysioNetReaderTest.class.getResource("/physionet2019/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final String HEADER =
      "HR|O2Sat|Temp|SBP|MAP|DBP|Resp|EtCO2|BaseExcess|HCO3|FiO2|pH|PaCO2|SaO2|AST|BUN|Alkalinephos"
          + "|Calcium|Chloride|Creatinine|Bilirubin_direct|Glucose|Lactate|Magnesium|Phosphate"
          + "|Potassium|Bilirubin_total|TroponinI|Hct|Hgb|PTT|WBC|Fibrinogen|Platelets|Age|Gender"
          + "|Unit1|Unit2|HospAdmTime|ICULOS|SepsisLabel";

  static String row(String vitals, String tail) {
    return vitals + "|NaN".repeat(26) + "|" + tail;
  }

  @Test
  void shouldReadTheFolderAndTheArchiveIdentically() throws IOException {
    PhysioNetReader.Result folder = PhysioNetReader.read(fixture("stays"));
    PhysioNetReader.Result archive = PhysioNetReader.read(fixture("stays.tar.gz"));
    assertEquals(11, folder.stays().size());
    assertEquals(folder.dataHash(), archive.dataHash());
    assertEquals("p000001", folder.stays().get(0).id());
    assertEquals(3, folder.stays().stream().filter(PhysioNetStay::septic).count());
    PhysioNetStay a = folder.stays().get(8);
    PhysioNetStay b = archive.stays().get(8);
    assertEquals(a.rows().size(), b.rows().size());
    assertEquals(a.rows().get(10).vitals()[0], b.rows().get(10).vitals()[0]);
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
    List<PatientWindow> windows = stay.windows(new WindowAssembler(12));
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

  @Test
  void shouldDropImplausibleValuesAsIngestDoes() throws IOException {
    String text =
        HEADER
            + "\n"
            + row("400|95|36.5|120|80|60|18|NaN", "60.7|1|NaN|NaN|-1|1|0")
            + "\n"
            + row("80|101|36.5|120|80|60|18|NaN", "60.7|1|NaN|NaN|-1|2|1")
            + "\n";
    PhysioNetStay stay =
        PhysioNetReader.parse(
            "x1", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertTrue(Double.isNaN(stay.rows().get(0).vitals()[Vital.HEART_RATE.ordinal()]));
    assertTrue(Double.isNaN(stay.rows().get(1).vitals()[Vital.OXYGEN_SATURATION.ordinal()]));
    assertEquals(80.0, stay.rows().get(1).vitals()[Vital.HEART_RATE.ordinal()]);
    assertEquals(Sex.MALE, stay.sex());
    assertEquals(60.0, stay.age());
    assertEquals(1, stay.firstPositiveRow());
    assertEquals(12, stay.readings(PhysioNetStay.EPOCH).size(), "7 + 7 values less 2 implausible");
  }

  @Test
  void shouldExplainMalformedFiles() {
    String text = HEADER + "\n" + row("80|95|36.5|120|80|60|18|NaN", "60|1|NaN|NaN|-1|abc|0");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                PhysioNetReader.parse(
                    "bad", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("bad line 2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new PhysioNetStay("s", null, null, List.of())
                .readings(Instant.parse("2024-01-01T00:30:00Z")),
        "monitoring start must be on a whole hour");
  }
}
