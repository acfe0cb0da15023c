package io.vigil.scoring.news2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.schemas.patients.Consciousness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every band edge of RCP 2017 chart 1 on both sides, in whole numbers and with the half-up rounding
 * of non-integer measurements right at each edge (x.49 stays in the lower band, x.5 moves up).
 */
class News2BandsTest {

  @ParameterizedTest(name = "RR {0}/min scores {1}")
  @CsvSource({
    "1, 3",
    "8, 3",
    "8.49, 3",
    "8.5, 1",
    "9, 1",
    "11, 1",
    "11.49, 1",
    "11.5, 0",
    "12, 0",
    "20, 0",
    "20.4, 0",
    "20.49, 0",
    "20.5, 2",
    "21, 2",
    "24, 2",
    "24.49, 2",
    "24.5, 3",
    "25, 3",
    "80, 3"
  })
  void respirationRateBands(double value, int expected) {
    assertEquals(expected, News2Bands.respirationRate(value));
  }

  @ParameterizedTest(name = "SpO2 scale 1 {0}% scores {1}")
  @CsvSource({
    "40, 3",
    "91, 3",
    "91.49, 3",
    "91.5, 2",
    "92, 2",
    "93, 2",
    "93.49, 2",
    "93.5, 1",
    "94, 1",
    "95, 1",
    "95.49, 1",
    "95.5, 0",
    "96, 0",
    "100, 0"
  })
  void spo2Scale1Bands(double value, int expected) {
    assertEquals(expected, News2Bands.spo2Scale1(value));
  }

  @ParameterizedTest(name = "SpO2 scale 1 {0}% ignores oxygen")
  @CsvSource({"91, 3", "92, 2", "94, 1", "96, 0", "100, 0"})
  void spo2Scale1IsTheSameOnAirAndOxygen(double value, int expected) {
    News2Inputs air = new News2Inputs(null, value, false, false, null, null, null, null);
    News2Inputs oxygen = new News2Inputs(null, value, true, false, null, null, null, null);
    assertEquals(expected, News2Calculator.score(air).getSpo2());
    assertEquals(expected, News2Calculator.score(oxygen).getSpo2());
  }

  @ParameterizedTest(name = "SpO2 scale 2 {0}% on oxygen={1} scores {2}")
  @CsvSource({
    "40, true, 3",
    "83, true, 3",
    "83.49, true, 3",
    "83.5, true, 2",
    "84, true, 2",
    "85, true, 2",
    "85.49, true, 2",
    "85.5, true, 1",
    "86, true, 1",
    "87, true, 1",
    "87.49, true, 1",
    "87.5, true, 0",
    "88, true, 0",
    "92, true, 0",
    "92.49, true, 0",
    "92.5, true, 1",
    "93, true, 1",
    "94, true, 1",
    "94.49, true, 1",
    "94.5, true, 2",
    "95, true, 2",
    "96, true, 2",
    "96.49, true, 2",
    "96.5, true, 3",
    "97, true, 3",
    "100, true, 3",
    "40, false, 3",
    "83, false, 3",
    "84, false, 2",
    "85, false, 2",
    "86, false, 1",
    "87, false, 1",
    "88, false, 0",
    "92, false, 0",
    "92.5, false, 0",
    "93, false, 0",
    "94, false, 0",
    "95, false, 0",
    "96, false, 0",
    "97, false, 0",
    "100, false, 0"
  })
  void spo2Scale2Bands(double value, boolean onOxygen, int expected) {
    assertEquals(expected, News2Bands.spo2Scale2(value, onOxygen));
  }

  @ParameterizedTest(name = "on oxygen {0} scores {1}")
  @CsvSource({"true, 2", "false, 0"})
  void airOrOxygen(boolean onOxygen, int expected) {
    assertEquals(expected, News2Bands.airOrOxygen(onOxygen));
  }

  @ParameterizedTest(name = "SBP {0} mmHg scores {1}")
  @CsvSource({
    "40, 3",
    "90, 3",
    "90.49, 3",
    "90.5, 2",
    "91, 2",
    "100, 2",
    "100.49, 2",
    "100.5, 1",
    "101, 1",
    "110, 1",
    "110.49, 1",
    "110.5, 0",
    "111, 0",
    "219, 0",
    "219.49, 0",
    "219.5, 3",
    "220, 3",
    "300, 3"
  })
  void systolicBpBands(double value, int expected) {
    assertEquals(expected, News2Bands.systolicBp(value));
  }

  @ParameterizedTest(name = "pulse {0}/min scores {1}")
  @CsvSource({
    "20, 3",
    "40, 3",
    "40.49, 3",
    "40.5, 1",
    "41, 1",
    "50, 1",
    "50.49, 1",
    "50.5, 0",
    "51, 0",
    "90, 0",
    "90.49, 0",
    "90.5, 1",
    "91, 1",
    "110, 1",
    "110.49, 1",
    "110.5, 2",
    "111, 2",
    "130, 2",
    "130.49, 2",
    "130.5, 3",
    "131, 3",
    "300, 3"
  })
  void pulseBands(double value, int expected) {
    assertEquals(expected, News2Bands.pulse(value));
  }

  @ParameterizedTest(name = "temperature {0} °C scores {1}")
  @CsvSource({
    "25.0, 3",
    "35.0, 3",
    "35.04, 3",
    "35.049, 3",
    "35.05, 1",
    "35.1, 1",
    "36.0, 1",
    "36.04, 1",
    "36.05, 0",
    "36.1, 0",
    "38.0, 0",
    "38.04, 0",
    "38.05, 1",
    "38.1, 1",
    "39.0, 1",
    "39.04, 1",
    "39.05, 2",
    "39.1, 2",
    "45.0, 2"
  })
  void temperatureBands(double value, int expected) {
    assertEquals(expected, News2Bands.temperature(value));
  }

  @ParameterizedTest(name = "{0} scores {1}")
  @CsvSource({"ALERT, 0", "CONFUSION, 3", "VOICE, 3", "PAIN, 3", "UNRESPONSIVE, 3"})
  void consciousnessAcvpu(Consciousness level, int expected) {
    assertEquals(expected, News2Bands.consciousness(level));
  }

  @ParameterizedTest
  @EnumSource(Consciousness.class)
  void everyNonAlertLevelIsCvpu(Consciousness level) {
    assertEquals(level == Consciousness.ALERT ? 0 : 3, News2Bands.consciousness(level));
  }

  @Test
  void nonFiniteValuesAreRefusedWithTheValueInTheMessage() {
    var e = assertThrows(IllegalArgumentException.class, () -> News2Bands.pulse(Double.NaN));
    assertEquals("NEWS2 cannot score a non-finite value: NaN", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> News2Bands.temperature(Double.POSITIVE_INFINITY));
  }
}
