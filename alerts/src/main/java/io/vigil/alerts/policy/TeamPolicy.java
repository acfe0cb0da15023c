package io.vigil.alerts.policy;

import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The alert policy of one care team. {@link #defaults()} documents the values used when a team
 * configures nothing (see the module README for the clinical reasoning).
 *
 * @param lstmThreshold LSTM risk (calibrated probability) at or above which an alert is raised
 * @param lstmMargin the risk must fall below {@code lstmThreshold - lstmMargin} to count towards
 *     clearing
 * @param lstmPriority priority of LSTM alerts; MEDIUM by IEC 60601-1-8 table 1: the harm of no
 *     response (death or irreversible injury) is delayed, since the model predicts deterioration
 *     hours ahead
 * @param news2High NEWS2 total at or above which a HIGH alert is raised (RCP: emergency response)
 * @param news2Medium NEWS2 total at or above which a MEDIUM alert is raised (RCP: urgent response)
 * @param news2Margin points below a NEWS2 threshold that count towards clearing
 * @param clearWindows consecutive windows below the clear level needed to resolve an alert
 * @param readingsStoppedAfter wall-clock time without a risk score after which a TECHNICAL alert is
 *     raised
 * @param ackLimits time to acknowledge per priority before escalating to the next tier
 * @param lstmThresholdFromModel judge LSTM risk against the threshold the model bundle recommends
 *     (carried on every risk score), falling back to {@code lstmThreshold} only for scores that
 *     carry none; false when the team or the service set {@code lstm-threshold} explicitly
 * @param readingsStoppedPriority priority of the readings-stopped TECHNICAL alert (LOW by default:
 *     loss of monitoring harms only if deterioration coincides; a team monitoring patients at
 *     higher risk may raise it)
 * @param budget the team's alert budget, or null: with one, LSTM risk is judged against the
 *     threshold derived from the budget once it has enough patient-days behind it (the model's
 *     until then); a team sets either a budget or {@code lstm-threshold}, never both
 */
public record TeamPolicy(
    double lstmThreshold,
    double lstmMargin,
    AlertPriority lstmPriority,
    int news2High,
    int news2Medium,
    int news2Margin,
    int clearWindows,
    Duration readingsStoppedAfter,
    Map<AlertPriority, Duration> ackLimits,
    boolean lstmThresholdFromModel,
    AlertPriority readingsStoppedPriority,
    AlertBudget budget) {

  /** Threshold for scores that carry no model threshold, and the scale of {@code lstmMargin}. */
  public static final double DEFAULT_LSTM_THRESHOLD = 0.5;

  public TeamPolicy {
    if (!(lstmThreshold > 0 && lstmThreshold <= 1)) {
      throw new IllegalArgumentException("lstm-threshold must be in (0, 1]: " + lstmThreshold);
    }
    if (lstmMargin < 0 || lstmMargin >= lstmThreshold) {
      throw new IllegalArgumentException(
          "lstm-margin must be in [0, lstm-threshold): " + lstmMargin);
    }
    if (news2Medium < 1 || news2High <= news2Medium || news2High > 20) {
      throw new IllegalArgumentException(
          "NEWS2 thresholds need 1 <= medium < high <= 20: " + news2Medium + ", " + news2High);
    }
    if (news2Margin < 0 || news2Margin >= news2Medium) {
      throw new IllegalArgumentException(
          "news2-margin must be in [0, news2-medium): " + news2Margin);
    }
    if (clearWindows < 1) {
      throw new IllegalArgumentException("clear-windows must be at least 1: " + clearWindows);
    }
    if (readingsStoppedAfter.isNegative() || readingsStoppedAfter.isZero()) {
      throw new IllegalArgumentException("readings-stopped-after must be positive");
    }
    Objects.requireNonNull(lstmPriority, "lstm-priority");
    Objects.requireNonNull(readingsStoppedPriority, "readings-stopped-priority");
    EnumMap<AlertPriority, Duration> limits = new EnumMap<>(AlertPriority.class);
    for (AlertPriority p : AlertPriority.values()) {
      Duration limit = ackLimits.get(p);
      if (limit == null || limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("ack limit for " + p + " must be positive: " + limit);
      }
      limits.put(p, limit);
    }
    ackLimits = Map.copyOf(limits);
    if (budget != null && !lstmThresholdFromModel) {
      throw new IllegalArgumentException(
          "alert-budget and lstm-threshold both set: choose one (a budget derives the threshold)");
    }
  }

  /** This policy with an alert budget (null for none); the threshold then comes from the model. */
  public TeamPolicy withBudget(AlertBudget budget) {
    return toBuilder()
        .budget(budget)
        .lstmThresholdFromModel(budget != null || lstmThresholdFromModel)
        .build();
  }

  /** A builder holding this policy's values, to make a policy that differs in some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The documented defaults: LSTM at the model's threshold (0.5 when a score carries none), clear
   * below 80 % of it; NEWS2 7 and 5 / 1; 2 windows; 3 h; 5/15/60 min; readings stopped LOW; no
   * alert budget.
   */
  public static TeamPolicy defaults() {
    return new TeamPolicy(
        DEFAULT_LSTM_THRESHOLD,
        0.1,
        AlertPriority.MEDIUM,
        7,
        5,
        1,
        2,
        Duration.ofHours(3),
        Map.of(
            AlertPriority.HIGH, Duration.ofMinutes(5),
            AlertPriority.MEDIUM, Duration.ofMinutes(15),
            AlertPriority.LOW, Duration.ofMinutes(60)),
        true,
        AlertPriority.LOW,
        null);
  }

  /** The LSTM threshold a score is judged against. */
  public double lstmThresholdFor(Double modelThreshold) {
    return lstmThresholdFor(modelThreshold, null).value();
  }

  /**
   * The LSTM threshold a score is judged against and how it was chosen: the team's budget threshold
   * when the team has a budget and one has been derived ({@code budgetThreshold}), else the
   * configured one when set, else the model's (the configured default for a score that carries
   * none).
   */
  public LstmThreshold lstmThresholdFor(Double modelThreshold, Double budgetThreshold) {
    if (budget != null && usable(budgetThreshold)) {
      return new LstmThreshold(budgetThreshold, LstmThresholdSource.BUDGET);
    }
    if (lstmThresholdFromModel && usable(modelThreshold)) {
      return new LstmThreshold(modelThreshold, LstmThresholdSource.MODEL);
    }
    return new LstmThreshold(
        lstmThreshold,
        lstmThresholdFromModel ? LstmThresholdSource.MODEL : LstmThresholdSource.FIXED);
  }

  private static boolean usable(Double threshold) {
    return threshold != null && threshold > 0 && threshold <= 1;
  }

  /**
   * The level below which a score counts towards clearing: {@code lstmMargin} is set against {@code
   * lstmThreshold} and scales with the threshold in use, so 0.5 / 0.1 clears below 80 % of a model
   * threshold of 0.02 too.
   */
  public double lstmClearLevel(double threshold) {
    return threshold * (1 - lstmMargin / lstmThreshold);
  }

  public Duration ackLimit(AlertPriority priority) {
    return ackLimits.get(priority);
  }

  /** The priority of alerts of {@code cause} for this team. */
  public AlertPriority priorityOf(AlertCause cause) {
    return switch (cause) {
      case LSTM_RISK -> lstmPriority;
      case NEWS2_HIGH -> AlertPriority.HIGH;
      case NEWS2_MEDIUM, NEWS2_SINGLE_PARAMETER -> AlertPriority.MEDIUM;
      // Loss of monitoring: harm only if deterioration coincides, and it is delayed -> LOW by
      // default; a team may raise it.
      case READINGS_STOPPED -> readingsStoppedPriority;
      // An alarm that did not reach its team may hide a HIGH clinical alarm -> MEDIUM.
      case DELIVERY_FAILED -> AlertPriority.MEDIUM;
    };
  }

  /**
   * A policy built from another's values with some of them changed; {@link #build} checks the
   * result as the constructor does. Setting {@code lstmThreshold} does not by itself stop the
   * model's threshold being used: that is {@code lstmThresholdFromModel}.
   */
  public static final class Builder {
    private double lstmThreshold;
    private double lstmMargin;
    private AlertPriority lstmPriority;
    private int news2High;
    private int news2Medium;
    private int news2Margin;
    private int clearWindows;
    private Duration readingsStoppedAfter;
    private Map<AlertPriority, Duration> ackLimits;
    private boolean lstmThresholdFromModel;
    private AlertPriority readingsStoppedPriority;
    private AlertBudget budget;

    private Builder(TeamPolicy from) {
      lstmThreshold = from.lstmThreshold;
      lstmMargin = from.lstmMargin;
      lstmPriority = from.lstmPriority;
      news2High = from.news2High;
      news2Medium = from.news2Medium;
      news2Margin = from.news2Margin;
      clearWindows = from.clearWindows;
      readingsStoppedAfter = from.readingsStoppedAfter;
      ackLimits = from.ackLimits;
      lstmThresholdFromModel = from.lstmThresholdFromModel;
      readingsStoppedPriority = from.readingsStoppedPriority;
      budget = from.budget;
    }

    public Builder lstmThreshold(double threshold) {
      lstmThreshold = threshold;
      return this;
    }

    public Builder lstmMargin(double margin) {
      lstmMargin = margin;
      return this;
    }

    public Builder lstmPriority(AlertPriority priority) {
      lstmPriority = priority;
      return this;
    }

    public Builder news2High(int total) {
      news2High = total;
      return this;
    }

    public Builder news2Medium(int total) {
      news2Medium = total;
      return this;
    }

    public Builder news2Margin(int points) {
      news2Margin = points;
      return this;
    }

    public Builder clearWindows(int windows) {
      clearWindows = windows;
      return this;
    }

    public Builder readingsStoppedAfter(Duration after) {
      readingsStoppedAfter = after;
      return this;
    }

    public Builder ackLimits(Map<AlertPriority, Duration> limits) {
      ackLimits = limits;
      return this;
    }

    public Builder lstmThresholdFromModel(boolean fromModel) {
      lstmThresholdFromModel = fromModel;
      return this;
    }

    public Builder readingsStoppedPriority(AlertPriority priority) {
      readingsStoppedPriority = priority;
      return this;
    }

    public Builder budget(AlertBudget alertBudget) {
      budget = alertBudget;
      return this;
    }

    /** The policy; refused as the constructor refuses it when a value is out of range. */
    public TeamPolicy build() {
      return new TeamPolicy(
          lstmThreshold,
          lstmMargin,
          lstmPriority,
          news2High,
          news2Medium,
          news2Margin,
          clearWindows,
          readingsStoppedAfter,
          ackLimits,
          lstmThresholdFromModel,
          readingsStoppedPriority,
          budget);
    }
  }
}
