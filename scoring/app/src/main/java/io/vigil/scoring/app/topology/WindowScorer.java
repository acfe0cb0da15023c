package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.Contributor;
import io.vigil.schemas.risk.News2Score;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.risk.VitalCompleteness;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.model.RiskScorer;
import io.vigil.scoring.news2.News2Calculator;
import io.vigil.scoring.news2.News2Inputs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a batch of due windows into risk scores: one batched DL4J call for the LSTM risk of all of
 * them, one more (occlusion, 8 windows each) for those whose risk reached the explanation level,
 * NEWS2 from the latest value of each parameter, and completeness per vital. Not thread-safe (it
 * holds its stream thread's network).
 */
public final class WindowScorer {
  private final RiskScorer scorer;
  private final ScoringConfig config;
  private final ScoringMetrics metrics;

  /**
   * One due window, assembled, with the patient's context (null when none is known).
   *
   * @param windowEnd the window's end in event time
   * @param window the window in the patient's own time: its times are {@code phase} earlier than
   *     the event times
   * @param phase the patient's window phase in milliseconds
   */
  public record Due(
      PatientKey patient,
      long windowEnd,
      PatientWindow window,
      PatientContext context,
      long phase) {

    /** A window of phase 0. */
    public Due(PatientKey patient, long windowEnd, PatientWindow window, PatientContext context) {
      this(patient, windowEnd, window, context, 0);
    }

    /** The window's inclusive start in event time. */
    public long windowStart() {
      return window.windowStart().toEpochMilli() + phase;
    }
  }

  public WindowScorer(RiskScorer scorer, ScoringConfig config, ScoringMetrics metrics) {
    if (scorer.windowHours() != config.windowHours()) {
      throw new IllegalArgumentException(
          "model "
              + scorer.version()
              + " scores "
              + scorer.windowHours()
              + "-hour windows but the topology is configured for "
              + config.windowHours());
    }
    this.scorer = scorer;
    this.config = config;
    this.metrics = metrics;
  }

  /** Scores {@code batch} in order; {@code scoredAt} is the wall-clock time put on every score. */
  public List<RiskScore> score(List<Due> batch, long scoredAt) {
    List<PatientWindow> windows = new ArrayList<>(batch.size());
    for (Due due : batch) {
      windows.add(due.window());
    }
    long started = System.nanoTime();
    double[] risk = scorer.score(windows);
    metrics.batch(batch.size(), System.nanoTime() - started);

    List<Integer> toExplain = new ArrayList<>();
    for (int i = 0; i < risk.length; i++) {
      if (risk[i] >= config.explainLevel() && config.topContributors() > 0) {
        toExplain.add(i);
      }
    }
    List<List<Contributor>> explained = List.of();
    if (!toExplain.isEmpty()) {
      explained =
          scorer.explain(toExplain.stream().map(windows::get).toList(), config.topContributors());
    }

    List<RiskScore> scores = new ArrayList<>(batch.size());
    int next = 0;
    for (int i = 0; i < batch.size(); i++) {
      List<Contributor> contributors = List.of();
      if (next < toExplain.size() && toExplain.get(next) == i) {
        contributors = explained.get(next++);
      }
      Due due = batch.get(i);
      scores.add(
          RiskScore.newBuilder()
              .setWindowStart(Instant.ofEpochMilli(due.windowStart()))
              .setWindowEnd(Instant.ofEpochMilli(due.windowEnd()))
              .setLstmRisk(risk[i])
              .setNews2(news2(due))
              .setCompleteness(completeness(due.window()))
              .setContributors(contributors)
              .setModelVersion(scorer.version())
              .setLstmThreshold(scorer.alertThreshold())
              .setScoredAt(Instant.ofEpochMilli(scoredAt))
              .build());
    }
    return scores;
  }

  /** NEWS2 from the latest reading of each parameter in the window and the patient's context. */
  static News2Score news2(Due due) {
    PatientWindow w = due.window();
    PatientContext ctx = due.context();
    long start = due.windowStart();
    boolean acvpuInWindow =
        ctx != null
            && ctx.getConsciousness() != null
            && (ctx.getConsciousnessTime() == null
                || (ctx.getConsciousnessTime().toEpochMilli() >= start
                    && ctx.getConsciousnessTime().toEpochMilli() < due.windowEnd()));
    return News2Calculator.score(
        new News2Inputs(
            latest(w, Vital.RESPIRATORY_RATE),
            latest(w, Vital.OXYGEN_SATURATION),
            ctx == null ? null : ctx.getOxygenTherapy(),
            ctx != null && ctx.getSpo2Scale2(),
            latest(w, Vital.SYSTOLIC_BP),
            latest(w, Vital.HEART_RATE),
            acvpuInWindow ? ctx.getConsciousness() : null,
            latest(w, Vital.BODY_TEMPERATURE)));
  }

  /** The latest reading of {@code vital} in the window, or null. */
  static Double latest(PatientWindow w, Vital vital) {
    for (int i = w.hours() - 1; i >= 0; i--) {
      HourSummary summary = w.summary(i, vital);
      if (summary != null) {
        return summary.last();
      }
    }
    return null;
  }

  static List<VitalCompleteness> completeness(PatientWindow w) {
    List<VitalCompleteness> result = new ArrayList<>(Vital.values().length);
    for (Vital vital : Vital.values()) {
      int observed = w.observedHours(vital);
      result.add(new VitalCompleteness(vital.type(), observed, observed / (double) w.hours()));
    }
    return result;
  }
}
