package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.LstmThreshold;
import io.vigil.schemas.risk.RiskScore;

/** The risk score behind an alert: what it records of it, and how a nurse reads late evidence. */
final class Evidence {
  private Evidence() {}

  /** A score carries late data when it revises its window or counts readings that came late. */
  static boolean isLate(RiskScore score) {
    return score.getRevision() > 0 || score.getLateReadings() > 0;
  }

  /** What a nurse should read about late evidence: the window's own time and what came late. */
  static String lateNote(RiskScore score) {
    StringBuilder b =
        new StringBuilder("based on late readings: window ending ").append(score.getWindowEnd());
    if (score.getRevision() > 0) {
      b.append(", revision ").append(score.getRevision());
    }
    int late = score.getLateReadings();
    if (late > 0) {
      b.append(", ").append(late).append(late == 1 ? " late reading" : " late readings");
      if (!score.getLateVitals().isEmpty()) {
        b.append(" (").append(String.join(", ", score.getLateVitals())).append(')');
      }
    }
    return b.toString();
  }

  /** The score would show the nurse other numbers: LSTM risk by 0.01 or more, or NEWS2 at all. */
  static boolean changed(AlertState s, RiskScore score) {
    Double risk = score.getLstmRisk();
    boolean riskChanged =
        risk == null
            ? s.lstmRisk != null
            : s.lstmRisk == null || Math.abs(risk - s.lstmRisk) >= 0.01;
    return riskChanged || s.news2Total == null || s.news2Total != score.getNews2().getTotal();
  }

  /**
   * Makes {@code score} the alert's evidence, with the LSTM threshold it was judged against (only
   * when the score carries an LSTM risk).
   */
  static void set(AlertState s, RiskScore score, LstmThreshold judgedAgainst) {
    boolean hasRisk = score.getLstmRisk() != null && judgedAgainst != null;
    s.lstmThreshold = hasRisk ? judgedAgainst.value() : null;
    s.lstmThresholdSource = hasRisk ? judgedAgainst.source() : null;
    s.lstmRisk = score.getLstmRisk();
    s.news2Total = score.getNews2().getTotal();
    s.windowEnd = score.getWindowEnd().toEpochMilli();
    s.revision = score.getRevision();
    s.lateReadings = score.getLateReadings();
    s.lateData = isLate(score);
  }
}
