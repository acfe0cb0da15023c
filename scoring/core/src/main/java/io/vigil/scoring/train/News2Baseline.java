package io.vigil.scoring.train;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.news2.News2Calculator;
import io.vigil.scoring.news2.News2Inputs;

/**
 * NEWS2 of a window for the offline comparison: each parameter's latest reading in the window, the
 * patient on air (the PhysioNet data carries no oxygen-therapy context, so the live pipeline with a
 * default patient context would score air too), scale 1, consciousness unknown (not in the data:
 * reported missing, 0 points). Missing vitals score no points, as in the live pipeline; the total
 * is what a ward would see.
 */
public final class News2Baseline {
  private News2Baseline() {}

  public static int total(PatientWindow w) {
    return News2Calculator.score(
            new News2Inputs(
                latest(w, Vital.RESPIRATORY_RATE),
                latest(w, Vital.OXYGEN_SATURATION),
                Boolean.FALSE,
                false,
                latest(w, Vital.SYSTOLIC_BP),
                latest(w, Vital.HEART_RATE),
                null,
                latest(w, Vital.BODY_TEMPERATURE)))
        .getTotal();
  }

  static Double latest(PatientWindow w, Vital vital) {
    for (int t = w.hours() - 1; t >= 0; t--) {
      HourSummary s = w.summary(t, vital);
      if (s != null) {
        return s.last();
      }
    }
    return null;
  }
}
