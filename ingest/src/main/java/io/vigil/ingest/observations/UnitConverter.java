package io.vigil.ingest.observations;

import io.vigil.schemas.Vital;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;

/**
 * Converts a value from the UCUM unit a source sent to the vital's canonical unit.
 *
 * <p>UCUM annotations in curly braces carry no meaning for conversion ({@code {beats}/min} is
 * {@code /min}, {@code %{HemoglobinSaturation}} is {@code %}), so they are removed first. UCUM is
 * case-sensitive: {@code mm[Hg]} is accepted, {@code mmHg} or {@code MM[HG]} are not units.
 *
 * <table>
 *   <caption>Accepted units (after removing annotations)</caption>
 *   <tr><th>vital</th><th>canonical</th><th>also accepted</th></tr>
 *   <tr><td>heart rate, respiratory rate</td><td>/min</td><td>1/min, min-1, /s, 1/s, Hz (x 60)</td></tr>
 *   <tr><td>oxygen saturation</td><td>%</td><td>1 (a fraction 0..1, x 100)</td></tr>
 *   <tr><td>body temperature</td><td>Cel</td><td>[degF] ((F - 32) x 5/9), K (K - 273.15)</td></tr>
 *   <tr><td>blood pressures</td><td>mm[Hg]</td><td>kPa (x 7.500617), cm[Hg] (x 10)</td></tr>
 * </table>
 */
public final class UnitConverter {
  /** mm[Hg] per kPa: 1 mm[Hg] = 133.322 Pa (UCUM: 13.5951 g/cm3 x 9.80665 m/s2 x 1 mm). */
  static final double MMHG_PER_KPA = 1000.0 / 133.322387415;

  private static final Map<String, DoubleUnaryOperator> RATE =
      Map.of(
          "/min", v -> v,
          "1/min", v -> v,
          "min-1", v -> v,
          "/s", v -> v * 60,
          "1/s", v -> v * 60,
          "s-1", v -> v * 60,
          "Hz", v -> v * 60);
  private static final Map<String, DoubleUnaryOperator> SATURATION =
      Map.of("%", v -> v, "1", v -> v * 100);
  private static final Map<String, DoubleUnaryOperator> TEMPERATURE =
      Map.of("Cel", v -> v, "[degF]", v -> (v - 32) * 5 / 9, "K", v -> v - 273.15);
  private static final Map<String, DoubleUnaryOperator> PRESSURE =
      Map.of("mm[Hg]", v -> v, "kPa", v -> v * MMHG_PER_KPA, "cm[Hg]", v -> v * 10);

  private static final Pattern ANNOTATION = Pattern.compile("\\{[^{}]*}");

  private UnitConverter() {}

  /** The value in {@code vital}'s canonical unit, or empty when the unit is not one it accepts. */
  public static Optional<Double> toCanonical(Vital vital, String unit, double value) {
    DoubleUnaryOperator conversion = table(vital).get(normalise(unit));
    return conversion == null
        ? Optional.empty()
        : Optional.of(round(conversion.applyAsDouble(value)));
  }

  /** The units accepted for {@code vital}, canonical first, for error messages and docs. */
  public static List<String> accepted(Vital vital) {
    Map<String, DoubleUnaryOperator> table = table(vital);
    return table.keySet().stream()
        .sorted((a, b) -> a.equals(vital.unit()) ? -1 : b.equals(vital.unit()) ? 1 : a.compareTo(b))
        .toList();
  }

  /** Removes UCUM annotations; an annotation alone ({@code {beats}}) stands for unity. */
  static String normalise(String unit) {
    if (unit.indexOf('{') < 0) {
      return unit.trim();
    }
    String stripped = ANNOTATION.matcher(unit).replaceAll("").trim();
    if (stripped.isEmpty()) {
      return "1";
    }
    // "{beats}/min" leaves "/min"; "1{beat}/min" leaves "1/min"
    return stripped;
  }

  /**
   * Conversions leave float noise (98.6 degF is 36.99999...); 6 decimals is far below any sensor.
   */
  private static double round(double value) {
    return Double.isFinite(value) ? Math.round(value * 1e6) / 1e6 : value;
  }

  private static Map<String, DoubleUnaryOperator> table(Vital vital) {
    return switch (vital) {
      case HEART_RATE, RESPIRATORY_RATE -> RATE;
      case OXYGEN_SATURATION -> SATURATION;
      case BODY_TEMPERATURE -> TEMPERATURE;
      case SYSTOLIC_BP, DIASTOLIC_BP, MEAN_BP -> PRESSURE;
    };
  }
}
