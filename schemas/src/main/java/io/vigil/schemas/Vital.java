package io.vigil.schemas;

import io.vigil.schemas.common.VitalType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The vital-sign catalogue: for each vital Vigil scores, its LOINC codes (FHIR R4 vital-signs
 * profiles), canonical UCUM unit and physiologically plausible range.
 *
 * <p>The plausible range is what a living, monitored adult can show. A value outside it is a sensor
 * or transcription error, not a clinical finding, and is rejected rather than scored; the ranges
 * are deliberately wide so that no real extreme (an SpO2 of 55 %, a heart rate of 250 /min) is
 * lost.
 */
public enum Vital {
  HEART_RATE(VitalType.HEART_RATE, "heart_rate", List.of("8867-4"), "/min", 20, 300),
  RESPIRATORY_RATE(
      VitalType.RESPIRATORY_RATE, "respiratory_rate", List.of("9279-1"), "/min", 1, 80),
  OXYGEN_SATURATION(
      VitalType.OXYGEN_SATURATION, "oxygen_saturation", List.of("2708-6", "59408-5"), "%", 40, 100),
  BODY_TEMPERATURE(
      VitalType.BODY_TEMPERATURE, "body_temperature", List.of("8310-5"), "Cel", 25, 45),
  SYSTOLIC_BP(VitalType.SYSTOLIC_BP, "systolic_bp", List.of("8480-6"), "mm[Hg]", 40, 300),
  DIASTOLIC_BP(VitalType.DIASTOLIC_BP, "diastolic_bp", List.of("8462-4"), "mm[Hg]", 10, 200),
  MEAN_BP(VitalType.MEAN_BP, "mean_bp", List.of("8478-0"), "mm[Hg]", 20, 250);

  private final VitalType type;
  private final String code;
  private final List<String> loincCodes;
  private final String unit;
  private final double min;
  private final double max;

  Vital(VitalType type, String code, List<String> loincCodes, String unit, double min, double max) {
    this.type = type;
    this.code = code;
    this.loincCodes = loincCodes;
    this.unit = unit;
    this.min = min;
    this.max = max;
  }

  /** The Avro enum symbol carried on the wire. */
  public VitalType type() {
    return type;
  }

  /** Vigil's name for the vital in JSON APIs, e.g. {@code heart_rate}. */
  public String code() {
    return code;
  }

  /** The primary LOINC code, e.g. 8867-4. */
  public String loinc() {
    return loincCodes.get(0);
  }

  /** Every LOINC code accepted for this vital, primary first. */
  public List<String> loincCodes() {
    return loincCodes;
  }

  /** Canonical UCUM unit every value of this vital is stored in. */
  public String unit() {
    return unit;
  }

  /** Lowest plausible value, inclusive, in {@link #unit()}. */
  public double min() {
    return min;
  }

  /** Highest plausible value, inclusive, in {@link #unit()}. */
  public double max() {
    return max;
  }

  /** True when {@code value} (in the canonical unit) is finite and inside the plausible range. */
  public boolean isPlausible(double value) {
    return Double.isFinite(value) && value >= min && value <= max;
  }

  public static Vital of(VitalType type) {
    return values()[type.ordinal()];
  }

  /** Finds a vital by Vigil name (case-insensitive) or by any of its LOINC codes. */
  public static Optional<Vital> byCode(String codeOrLoinc) {
    if (codeOrLoinc == null) {
      return Optional.empty();
    }
    String wanted = codeOrLoinc.trim().toLowerCase(Locale.ROOT);
    for (Vital vital : values()) {
      if (vital.code.equals(wanted) || vital.loincCodes.contains(wanted)) {
        return Optional.of(vital);
      }
    }
    return Optional.empty();
  }
}
