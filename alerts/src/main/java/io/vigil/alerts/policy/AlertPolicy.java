package io.vigil.alerts.policy;

import io.vigil.schemas.News2SubScores;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.risk.News2Score;
import io.vigil.schemas.risk.RiskScore;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The clinical alert policy: judges one risk score against each clinical condition. Pure: no state,
 * no time; the hysteresis counting lives in the lifecycle, which remembers the windows.
 */
public final class AlertPolicy {
  /** The clinical causes, most severe first (the order the lifecycle handles them in). */
  public static final List<AlertCause> CLINICAL_CAUSES =
      List.of(
          AlertCause.NEWS2_HIGH,
          AlertCause.NEWS2_MEDIUM,
          AlertCause.NEWS2_SINGLE_PARAMETER,
          AlertCause.LSTM_RISK);

  private AlertPolicy() {}

  public static Map<AlertCause, Signal> evaluate(RiskScore score, TeamPolicy policy) {
    return evaluate(score, policy, null);
  }

  /**
   * Judges {@code score} for a team whose alert budget has derived {@code budgetThreshold} (null
   * when it has none yet, or no budget).
   */
  public static Map<AlertCause, Signal> evaluate(
      RiskScore score, TeamPolicy policy, Double budgetThreshold) {
    Map<AlertCause, Signal> signals = new EnumMap<>(AlertCause.class);
    News2Score news2 = score.getNews2();
    signals.put(AlertCause.NEWS2_HIGH, threshold(news2.getTotal(), policy.news2High(), policy));
    signals.put(AlertCause.NEWS2_MEDIUM, threshold(news2.getTotal(), policy.news2Medium(), policy));
    signals.put(
        AlertCause.NEWS2_SINGLE_PARAMETER,
        hasParameterScoring3(news2) ? Signal.ABOVE : Signal.BELOW);
    signals.put(
        AlertCause.LSTM_RISK,
        lstm(score.getLstmRisk(), score.getLstmThreshold(), budgetThreshold, policy));
    return signals;
  }

  /**
   * NEWS2 totals are judged on the parameters present: wearables rarely report consciousness, so
   * requiring a complete set to clear would latch every alert for good. A missing parameter can
   * only add points, so an incomplete total at or above a threshold is a real alarm.
   */
  static Signal threshold(int total, int raiseAt, TeamPolicy policy) {
    if (total >= raiseAt) {
      return Signal.ABOVE;
    }
    return total < raiseAt - policy.news2Margin() ? Signal.BELOW : Signal.BAND;
  }

  static Signal lstm(Double risk, Double modelThreshold, TeamPolicy policy) {
    return lstm(risk, modelThreshold, null, policy);
  }

  static Signal lstm(
      Double risk, Double modelThreshold, Double budgetThreshold, TeamPolicy policy) {
    if (risk == null || risk.isNaN()) {
      return Signal.UNKNOWN;
    }
    double threshold = policy.lstmThresholdFor(modelThreshold, budgetThreshold).value();
    if (risk >= threshold) {
      return Signal.ABOVE;
    }
    return risk < policy.lstmClearLevel(threshold) ? Signal.BELOW : Signal.BAND;
  }

  /** Any single parameter scoring 3 (RCP: urgent ward-based review). */
  static boolean hasParameterScoring3(News2Score n) {
    if (n.getSingleParameter3()) {
      return true;
    }
    for (Integer s : News2SubScores.of(n).values()) {
      if (s != null && s >= 3) {
        return true;
      }
    }
    return false;
  }
}
