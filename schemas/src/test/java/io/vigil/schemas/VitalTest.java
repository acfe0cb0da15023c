package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.common.VitalType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VitalTest {

  @ParameterizedTest(name = "{0}: LOINC {1}, unit {2}")
  @CsvSource({
    "HEART_RATE, 8867-4, /min",
    "RESPIRATORY_RATE, 9279-1, /min",
    "OXYGEN_SATURATION, 2708-6, %",
    "BODY_TEMPERATURE, 8310-5, Cel",
    "SYSTOLIC_BP, 8480-6, mm[Hg]",
    "DIASTOLIC_BP, 8462-4, mm[Hg]",
    "MEAN_BP, 8478-0, mm[Hg]"
  })
  void shouldCarryTheFhirVitalSignsCodeAndCanonicalUnit(Vital vital, String loinc, String unit) {
    assertEquals(loinc, vital.loinc());
    assertEquals(unit, vital.unit());
    assertEquals(Optional.of(vital), Vital.byCode(loinc));
    assertEquals(Optional.of(vital), Vital.byCode(vital.code()));
    assertEquals(vital, Vital.of(vital.type()));
  }

  @Test
  void shouldAcceptPulseOximetryCodeForSpo2() {
    assertEquals(Optional.of(Vital.OXYGEN_SATURATION), Vital.byCode("59408-5"));
    assertEquals(List.of("2708-6", "59408-5"), Vital.OXYGEN_SATURATION.loincCodes());
  }

  @Test
  void shouldFindVitalNamesCaseInsensitivelyAndNothingElse() {
    assertEquals(Optional.of(Vital.HEART_RATE), Vital.byCode(" Heart_Rate "));
    assertEquals(Optional.empty(), Vital.byCode("85354-9"));
    assertEquals(Optional.empty(), Vital.byCode("pulse"));
    assertEquals(Optional.empty(), Vital.byCode(null));
  }

  @ParameterizedTest(name = "{0} plausible in [{1}, {2}]")
  @CsvSource({
    "HEART_RATE, 20, 300",
    "RESPIRATORY_RATE, 1, 80",
    "OXYGEN_SATURATION, 40, 100",
    "BODY_TEMPERATURE, 25, 45",
    "SYSTOLIC_BP, 40, 300",
    "DIASTOLIC_BP, 10, 200",
    "MEAN_BP, 20, 250"
  })
  void shouldAcceptValuesAtTheRangeEdgesAndRejectJustOutside(Vital vital, double min, double max) {
    assertTrue(vital.isPlausible(min));
    assertTrue(vital.isPlausible(max));
    assertFalse(vital.isPlausible(Math.nextDown(min)));
    assertFalse(vital.isPlausible(Math.nextUp(max)));
    assertFalse(vital.isPlausible(Double.NaN));
    assertFalse(vital.isPlausible(Double.POSITIVE_INFINITY));
  }

  @Test
  void catalogueCoversEveryWireSymbolInOrder() {
    assertEquals(VitalType.values().length, Vital.values().length);
    for (Vital vital : Vital.values()) {
      assertEquals(vital.name(), vital.type().name());
    }
  }
}
