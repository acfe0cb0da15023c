package io.vigil.alerts.policy;

import java.time.Duration;

/**
 * A care team's alert budget: the LSTM alert onsets per patient-day it chooses to receive. The
 * alerts service derives the team's LSTM threshold from its own patients' recent risk scores
 * (module README, "Alert budgets"; scoring/MODEL_CARD.md).
 *
 * @param onsetsPerPatientDay the budget, alert onsets per patient-day (e.g. 0.5: one new LSTM alert
 *     per two patient-days)
 * @param window event time of scored windows the threshold is derived from
 * @param recompute event time between two derivations
 * @param maxStep largest relative move of the threshold per derivation: the new threshold lies
 *     within {@code [previous / (1 + maxStep), previous * (1 + maxStep)]}
 * @param minPatientDays monitored time in the window below which the model's threshold is used
 */
public record AlertBudget(
    double onsetsPerPatientDay,
    Duration window,
    Duration recompute,
    double maxStep,
    double minPatientDays) {

  public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
  public static final Duration DEFAULT_RECOMPUTE = Duration.ofHours(1);
  public static final double DEFAULT_MAX_STEP = 0.25;
  public static final double DEFAULT_MIN_PATIENT_DAYS = 10;

  /** Most buckets a team's state holds for one window (bucket width grows with the window). */
  public static final int MAX_BUCKETS = 168;

  public AlertBudget {
    if (!(onsetsPerPatientDay > 0) || Double.isInfinite(onsetsPerPatientDay)) {
      throw new IllegalArgumentException(
          "alert-budget must be a positive number of alert onsets per patient-day: "
              + onsetsPerPatientDay);
    }
    if (window == null || window.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("budget-window must be at least 1 h: " + window);
    }
    if (recompute == null || recompute.isNegative() || recompute.isZero()) {
      throw new IllegalArgumentException("budget-recompute must be positive: " + recompute);
    }
    if (recompute.compareTo(window) > 0) {
      throw new IllegalArgumentException(
          "budget-recompute (" + recompute + ") must not exceed budget-window (" + window + ")");
    }
    if (!(maxStep > 0 && maxStep <= 1)) {
      throw new IllegalArgumentException(
          "budget-max-step must be in (0, 1] (relative move per recompute): " + maxStep);
    }
    if (!(minPatientDays > 0) || Double.isInfinite(minPatientDays)) {
      throw new IllegalArgumentException(
          "budget-min-patient-days must be a positive number of patient-days: " + minPatientDays);
    }
  }

  /** A budget with the default window, recompute period, step and warm-up. */
  public static AlertBudget of(double onsetsPerPatientDay) {
    return new AlertBudget(
        onsetsPerPatientDay,
        DEFAULT_WINDOW,
        DEFAULT_RECOMPUTE,
        DEFAULT_MAX_STEP,
        DEFAULT_MIN_PATIENT_DAYS);
  }

  /**
   * Width of one event-time bucket: whole hours, at least 1 h, wide enough that the window needs at
   * most {@value #MAX_BUCKETS} buckets (7 days: 1 h).
   */
  public Duration bucket() {
    long hours = Math.max(1, (window.toHours() + MAX_BUCKETS - 1) / MAX_BUCKETS);
    return Duration.ofHours(hours);
  }
}
