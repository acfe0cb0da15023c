package io.vigil.ingest.observations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The validator alone: plausible-range and time-limit edges, unit conversion results. */
class ReadingValidatorTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofDays(30);
  private static final Duration MAX_FUTURE = Duration.ofMinutes(5);

  private static ReadingValidator.Result validate(
      String code, double value, String unit, Instant time) {
    return new ReadingValidator("t", "src", NOW, MAX_AGE, MAX_FUTURE)
        .validate(new RawReading(0, "r", "p", null, code, value, unit, time));
  }

  private static ReadingValidator.Result validate(String code, double value, String unit) {
    return validate(code, value, unit, NOW);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    // every catalogue edge is inclusive; just outside is rejected
    "heart_rate, 20, /min, true",
    "heart_rate, 19.99, /min, false",
    "heart_rate, 300, /min, true",
    "heart_rate, 300.01, /min, false",
    "heart_rate, 5, /s, true", // 300 /min
    "respiratory_rate, 1, /min, true",
    "respiratory_rate, 0.5, /min, false",
    "respiratory_rate, 80, {breaths}/min, true",
    "oxygen_saturation, 100, %, true",
    "oxygen_saturation, 100.1, %, false",
    "oxygen_saturation, 1.0, 1, true", // fraction 1.0 is 100 %
    "oxygen_saturation, 1.01, 1, false",
    "oxygen_saturation, 0.4, 1, true",
    "oxygen_saturation, 40, %, true",
    "oxygen_saturation, 39.9, %, false",
    "body_temperature, 25, Cel, true",
    "body_temperature, 24.99, Cel, false",
    "body_temperature, 45, Cel, true",
    "body_temperature, 77, [degF], true", // 25 Cel
    "body_temperature, 113, [degF], true", // 45 Cel
    "body_temperature, 113.1, [degF], false",
    "body_temperature, 310.15, K, true",
    "systolic_bp, 40, mm[Hg], true",
    "systolic_bp, 300, mm[Hg], true",
    "systolic_bp, 301, mm[Hg], false",
    "diastolic_bp, 10, mm[Hg], true",
    "diastolic_bp, 9, mm[Hg], false",
    "mean_bp, 250, mm[Hg], true",
    "mean_bp, 251, mm[Hg], false"
  })
  void shouldAcceptExactlyThePlausibleRange(String code, double value, String unit, boolean ok) {
    ReadingValidator.Result result = validate(code, value, unit);
    assertEquals(ok, result.accepted(), () -> String.valueOf(result.rejection()));
    if (!ok) {
      assertEquals(RejectionReason.OUT_OF_RANGE, result.rejection().reason());
    }
  }

  @Test
  void shouldConvertToTheCanonicalUnitAndKeepTheOriginal() {
    VitalObservation temp = validate("8310-5", 98.6, "[degF]").observation();
    assertEquals(37.0, temp.getValue(), 1e-9);
    assertEquals("Cel", temp.getUnit());
    assertEquals(98.6, temp.getOriginalValue());
    assertEquals("[degF]", temp.getOriginalUnit());
    assertEquals(120.0, validate("systolic_bp", 16, "kPa").observation().getValue(), 0.01);
    assertEquals(90.0, validate("heart_rate", 1.5, "Hz").observation().getValue());
    VitalObservation plain = validate("heart_rate", 72, "/min").observation();
    assertNull(plain.getOriginalUnit());
    assertNull(plain.getOriginalValue());
  }

  @Test
  void shouldNameTheAcceptedUnitsWhenAUnitDoesNotConvert() {
    Rejection r = validate("systolic_bp", 120, "mmHg").rejection();
    assertEquals(RejectionReason.UNIT_NOT_CONVERTIBLE, r.reason());
    assertTrue(r.detail().contains("mm[Hg], cm[Hg], kPa"), r.detail());
    assertEquals(
        RejectionReason.UNIT_NOT_CONVERTIBLE,
        validate("oxygen_saturation", 97, "/min").rejection().reason());
    assertEquals(
        RejectionReason.UNIT_NOT_CONVERTIBLE,
        validate("body_temperature", 37, "cel").rejection().reason());
  }

  @Test
  void shouldRejectNonFiniteValuesBeforeConverting() {
    for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertEquals(
          RejectionReason.NON_FINITE_VALUE, validate("heart_rate", v, "/s").rejection().reason());
    }
  }

  @Test
  void shouldAcceptTimesUpToTheLimitsInclusive() {
    assertTrue(validate("heart_rate", 70, "/min", NOW.minus(MAX_AGE)).accepted());
    assertEquals(
        RejectionReason.TIME_TOO_OLD,
        validate("heart_rate", 70, "/min", NOW.minus(MAX_AGE).minusMillis(1)).rejection().reason());
    assertTrue(validate("heart_rate", 70, "/min", NOW.plus(MAX_FUTURE)).accepted());
    assertEquals(
        RejectionReason.TIME_IN_FUTURE,
        validate("heart_rate", 70, "/min", NOW.plus(MAX_FUTURE).plusMillis(1))
            .rejection()
            .reason());
  }

  @Test
  void shouldKeyByTheSourcesTenantAndRecordTheLoincSent() {
    ReadingValidator.Result r = validate("2708-6", 97, "%");
    assertEquals("t", r.key().getTenant());
    assertEquals("p", r.key().getPatientId());
    assertEquals("2708-6", r.observation().getLoinc());
    assertEquals(Vital.OXYGEN_SATURATION.type(), r.observation().getVital());
    assertEquals("src", r.observation().getSourceId());
    assertEquals(NOW, r.observation().getTimeReceived());
    assertEquals(RejectionReason.UNKNOWN_CODE, validate("29463-7", 80, "kg").rejection().reason());
  }
}
