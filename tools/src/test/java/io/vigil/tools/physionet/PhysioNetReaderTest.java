package io.vigil.tools.physionet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysioNetReaderTest {
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
    PhysioNetReader.Result folder = PhysioNetReader.read(PhysioNetFixture.STAYS);
    PhysioNetReader.Result archive = PhysioNetReader.read(PhysioNetFixture.ARCHIVE);
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
