package io.vigil.alerts.budget;

import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.alerts.BudgetBucket;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.alerts.BudgetState;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The rules of a care team's alert budget, over plain values: folding a scored window into the
 * team's event-time buckets, expiring buckets beyond the window, and choosing the threshold. No
 * Kafka, no clock: the processors call it (module README, "Alert budgets").
 */
public final class BudgetCore {
  private static final double MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

  private BudgetCore() {}

  /** A team's state before its first window. */
  public static BudgetState empty() {
    return BudgetState.newBuilder()
        .setBuckets(new ArrayList<>())
        .setNewestWindowEnd(Instant.EPOCH)
        .build();
  }

  /**
   * Folds one scored window into the team's state: its monitored time and the grid values its risk
   * crossed upwards go to the bucket of its end; buckets beyond the window are dropped. A window
   * ending before the budget window is ignored and the state returned unchanged (false).
   */
  public static boolean add(BudgetState state, BudgetObservation o, AlertBudget budget) {
    long end = o.getWindowEnd().toEpochMilli();
    long newest = Math.max(end, state.getNewestWindowEnd().toEpochMilli());
    if (end <= newest - budget.window().toMillis()) {
      return false;
    }
    long width = budget.bucket().toMillis();
    long start = Math.floorDiv(end, width) * width;
    List<BudgetBucket> buckets = new ArrayList<>(state.getBuckets());
    BudgetBucket bucket = null;
    int at = 0;
    for (; at < buckets.size(); at++) {
      long s = buckets.get(at).getStart().toEpochMilli();
      if (s == start) {
        bucket = buckets.get(at);
        break;
      }
      if (s > start) {
        break;
      }
    }
    if (bucket == null) {
      bucket =
          BudgetBucket.newBuilder()
              .setStart(Instant.ofEpochMilli(start))
              .setMonitoredMillis(0)
              .setUpcrossings(new ArrayList<>(Collections.nCopies(ThresholdGrid.SIZE, 0)))
              .build();
      buckets.add(at, bucket);
    }
    bucket.setMonitoredMillis(bucket.getMonitoredMillis() + Math.max(0, o.getMonitoredMillis()));
    int[] crossed = ThresholdGrid.upcrossed(o.getPreviousRisk(), o.getRisk());
    List<Integer> counts = new ArrayList<>(bucket.getUpcrossings());
    for (int i = crossed[0]; i < crossed[1]; i++) {
      counts.set(i, counts.get(i) + 1);
    }
    bucket.setUpcrossings(counts);
    state.setBuckets(buckets);
    state.setNewestWindowEnd(Instant.ofEpochMilli(newest));
    if (o.getModelThreshold() != null) {
      state.setModelThreshold(o.getModelThreshold());
    }
    expire(state, budget);
    return true;
  }

  /** Drops the buckets that lie wholly before the window ending at the team's newest window. */
  static void expire(BudgetState state, AlertBudget budget) {
    long from = state.getNewestWindowEnd().toEpochMilli() - budget.window().toMillis();
    long width = budget.bucket().toMillis();
    state.setBuckets(
        new ArrayList<>(
            state.getBuckets().stream()
                .filter(b -> b.getStart().toEpochMilli() + width > from)
                .toList()));
  }

  /** Whether the team's threshold is due to be chosen again (recompute period of event time). */
  public static boolean due(BudgetState state, AlertBudget budget) {
    Instant computed = state.getComputedAt();
    return computed == null
        || state.getNewestWindowEnd().toEpochMilli() - computed.toEpochMilli()
            >= budget.recompute().toMillis();
  }

  /** Monitored patient-days in the state's buckets. */
  public static double patientDays(BudgetState state) {
    long millis = 0;
    for (BudgetBucket b : state.getBuckets()) {
      millis += b.getMonitoredMillis();
    }
    return millis / MILLIS_PER_DAY;
  }

  /** Upcrossings per grid value summed over the state's buckets. */
  public static long[] upcrossings(BudgetState state) {
    long[] sum = new long[ThresholdGrid.SIZE];
    for (BudgetBucket b : state.getBuckets()) {
      List<Integer> counts = b.getUpcrossings();
      for (int i = 0; i < Math.min(sum.length, counts.size()); i++) {
        sum[i] += counts.get(i);
      }
    }
    return sum;
  }

  /**
   * The grid index the budget asks for: the lowest grid value from which every higher value has an
   * onset rate at or under the budget. Scanning down from the top stops at the first value over
   * budget, so a very low threshold that most patients stay above for their whole stay (few
   * upcrossings, an alert open all the time) is never chosen just because its upcrossings are few.
   * When even the highest value is over budget it is chosen.
   */
  public static int derivedIndex(long[] upcrossings, double patientDays, double budget) {
    int chosen = ThresholdGrid.SIZE - 1;
    for (int i = ThresholdGrid.SIZE - 1; i >= 0; i--) {
      if (upcrossings[i] / patientDays > budget) {
        break;
      }
      chosen = i;
    }
    return chosen;
  }

  /**
   * Moves from {@code previousIndex} towards {@code derivedIndex} by at most the step limit's whole
   * grid steps.
   */
  public static int stepTowards(int previousIndex, int derivedIndex, double maxStep) {
    int steps = ThresholdGrid.steps(maxStep);
    return Math.max(previousIndex - steps, Math.min(previousIndex + steps, derivedIndex));
  }

  /**
   * Chooses the team's threshold now, updates the state (threshold in use, when it changed, when it
   * was computed) and returns the record the lifecycle reads. Until the window holds {@code
   * min-patient-days}, the model's threshold is used (source MODEL); after that the threshold moves
   * from the previous one (at first the model's, snapped to the grid) towards the one the budget
   * asks for, by at most the step limit. Once derived, a team that falls back below the warm-up
   * (its window emptied) keeps its last budget threshold rather than jumping back to the model's.
   */
  public static TeamThreshold recompute(
      BudgetState state, AlertBudget budget, String tenant, String team) {
    double days = patientDays(state);
    long[] counts = upcrossings(state);
    Instant now = state.getNewestWindowEnd();
    Double model = state.getModelThreshold();
    Double previous = state.getThreshold();
    TeamThreshold.Builder out =
        TeamThreshold.newBuilder()
            .setTenant(tenant)
            .setTeam(team)
            .setBudget(budget.onsetsPerPatientDay())
            .setPatientDays(days)
            .setModelThreshold(model)
            .setComputedAt(now)
            .setDerivedThreshold(null)
            .setObservedRate(null)
            .setOnsets(null)
            .setChangedAt(null);
    state.setComputedAt(now);
    if (days < budget.minPatientDays()) {
      if (previous == null) {
        out.setSource(LstmThresholdSource.MODEL)
            .setThreshold(model)
            .setNote(
                String.format(
                    Locale.ROOT,
                    "warm-up: %.2f of %.2f patient-days in the window; the model's threshold is used",
                    days,
                    budget.minPatientDays()));
        if (model != null) {
          int at = ThresholdGrid.firstAbove(model) - 1;
          fill(out, counts, days, Math.max(0, at));
        }
      } else {
        int at = ThresholdGrid.nearest(previous);
        out.setSource(LstmThresholdSource.BUDGET)
            .setThreshold(previous)
            .setNote(
                String.format(
                    Locale.ROOT,
                    "%.2f patient-days in the window, fewer than %.2f: last derived threshold kept",
                    days,
                    budget.minPatientDays()));
        fill(out, counts, days, at);
      }
      return out.setChangedAt(state.getChangedAt()).build();
    }
    int derived = derivedIndex(counts, days, budget.onsetsPerPatientDay());
    double start =
        previous != null
            ? previous
            : model != null && model > 0 && model <= 1 ? model : TeamPolicy.DEFAULT_LSTM_THRESHOLD;
    int from = ThresholdGrid.nearest(start);
    int next = stepTowards(from, derived, budget.maxStep());
    double threshold = ThresholdGrid.value(next);
    if (previous == null || previous != threshold) {
      state.setChangedAt(now);
    }
    state.setThreshold(threshold);
    String how =
        next == derived
            ? "the lowest threshold from which every higher one stays within the budget"
            : "moving towards "
                + String.format(Locale.ROOT, "%.4f", ThresholdGrid.value(derived))
                + " by at most "
                + String.format(Locale.ROOT, "%.0f %%", budget.maxStep() * 100)
                + " per recompute";
    fill(out, counts, days, next);
    return out.setSource(LstmThresholdSource.BUDGET)
        .setThreshold(threshold)
        .setDerivedThreshold(ThresholdGrid.value(derived))
        .setChangedAt(state.getChangedAt())
        .setNote(
            String.format(
                Locale.ROOT,
                "alert budget %.2f onsets per patient-day over %.1f patient-days: %s",
                budget.onsetsPerPatientDay(),
                days,
                how))
        .build();
  }

  private static void fill(TeamThreshold.Builder out, long[] counts, double days, int index) {
    out.setOnsets(counts[index]);
    out.setObservedRate(days > 0 ? counts[index] / days : null);
  }
}
