package io.vigil.schemas;

import io.vigil.schemas.risk.News2Score;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The seven sub-scores of a {@link News2Score}, for code that handles them alike. */
public final class News2SubScores {
  private News2SubScores() {}

  /**
   * The sub-scores in chart order, keyed by their field name ({@code respirationRate}, {@code
   * spo2}, {@code airOrOxygen}, {@code systolicBp}, {@code pulse}, {@code consciousness}, {@code
   * temperature}); a parameter that was missing maps to null.
   */
  public static Map<String, Integer> of(News2Score n) {
    Map<String, Integer> sub = new LinkedHashMap<>();
    sub.put("respirationRate", n.getRespirationRate());
    sub.put("spo2", n.getSpo2());
    sub.put("airOrOxygen", n.getAirOrOxygen());
    sub.put("systolicBp", n.getSystolicBp());
    sub.put("pulse", n.getPulse());
    sub.put("consciousness", n.getConsciousness());
    sub.put("temperature", n.getTemperature());
    return Collections.unmodifiableMap(sub);
  }
}
