package io.vigil.scoring.news2;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Rounds measurements to the precision printed on the NEWS2 chart before they are banded.
 *
 * <p>The chart's bands are whole numbers (temperature: tenths of a degree) with no gaps between
 * them, so a value such as 20.5 breaths/min or 35.05 °C has to be placed somewhere. Vigil rounds
 * half up to the chart's precision, as a nurse reading a display with the chart's resolution would:
 * 20.5 /min becomes 21 (scores 2), 20.4 becomes 20 (scores 0); 35.05 °C becomes 35.1 (scores 1),
 * 35.04 becomes 35.0 (scores 3). Rounding goes through the decimal text of the double ({@link
 * BigDecimal#valueOf(double)}), so 35.05 is treated as the 35.05 that was measured and not as the
 * binary fraction 35.04999….
 */
public final class News2Rounding {
  private News2Rounding() {}

  /** Rounds half up to a whole number (respiration rate, SpO2, systolic BP, pulse). */
  public static int wholeNumber(double value) {
    requireFinite(value);
    return BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP).intValueExact();
  }

  /** Rounds half up to tenths and returns the result in tenths (temperature: 35.05 °C → 351). */
  public static int tenths(double value) {
    requireFinite(value);
    return BigDecimal.valueOf(value)
        .setScale(1, RoundingMode.HALF_UP)
        .movePointRight(1)
        .intValueExact();
  }

  private static void requireFinite(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("NEWS2 cannot score a non-finite value: " + value);
    }
  }
}
