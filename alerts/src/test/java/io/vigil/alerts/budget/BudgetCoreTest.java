package io.vigil.alerts.budget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.policy.AlertBudget;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.alerts.BudgetState;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetCoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final long HOUR = Duration.ofHours(1).toMillis();

  /** Budget 0.5 onsets per patient-day, 7 days, hourly, step 25 %, warm-up 1 patient-day. */
  private static final AlertBudget BUDGET =
      new AlertBudget(0.5, Duration.ofDays(7), Duration.ofHours(1), 0.25, 1);

  private static BudgetObservation obs(long hour, double risk, Double previous, Double model) {
    return BudgetObservation.newBuilder()
        .setWindowEnd(T0.plusMillis(hour * HOUR))
        .setMonitoredMillis(HOUR)
        .setRisk(risk)
        .setPreviousRisk(previous)
        .setModelThreshold(model)
        .build();
  }

  private static int at(double threshold) {
    return ThresholdGrid.nearest(threshold);
  }

  @Test
  void shouldCountAnUpcrossingOfEveryGridValueAboveThePreviousRiskUpToTheRiskInclusive() {
    double t = ThresholdGrid.value(40); // 0.01
    int[] exactlyAt = ThresholdGrid.upcrossed(0.005, t);
    assertTrue(exactlyAt[0] <= 40 && 40 < exactlyAt[1], "a risk equal to t raises at t");
    int[] fromT = ThresholdGrid.upcrossed(t, 0.5);
    assertEquals(41, fromT[0], "a patient already at t does not cross it again");
    int[] down = ThresholdGrid.upcrossed(0.5, 0.01);
    assertEquals(0, down[1] - down[0], "a fall crosses nothing upwards");
    int[] first = ThresholdGrid.upcrossed(null, ThresholdGrid.value(3));
    assertArrayEquals(new int[] {0, 4}, first, "a first window crosses every value up to it");
    assertEquals(ThresholdGrid.SIZE, ThresholdGrid.upcrossed(null, 1.0)[1]);
  }

  @Test
  void shouldUseTheModelsThresholdWithNoDataAndUntilTheWarmUpIsReached() {
    BudgetState empty = BudgetCore.empty();
    TeamThreshold none = BudgetCore.recompute(empty, BUDGET, "clinic-a", "ward-1");
    assertEquals(LstmThresholdSource.MODEL, none.getSource());
    assertNull(none.getThreshold(), "no score seen: no model threshold known either");
    assertEquals(0.0, none.getPatientDays());

    BudgetState s = BudgetCore.empty();
    for (int h = 1; h <= 23; h++) {
      BudgetCore.add(s, obs(h, 0.5, 0.001, 0.0211), BUDGET);
    }
    TeamThreshold warm = BudgetCore.recompute(s, BUDGET, "clinic-a", "ward-1");
    assertEquals(LstmThresholdSource.MODEL, warm.getSource(), "23 h < 1 patient-day");
    assertEquals(0.0211, warm.getThreshold());
    assertTrue(warm.getNote().startsWith("warm-up"), warm.getNote());
    assertNull(s.getThreshold());

    BudgetCore.add(s, obs(24, 0.5, 0.001, 0.0211), BUDGET);
    TeamThreshold derived = BudgetCore.recompute(s, BUDGET, "clinic-a", "ward-1");
    assertEquals(LstmThresholdSource.BUDGET, derived.getSource(), "exactly 1 patient-day");
    assertEquals(1.0, derived.getPatientDays(), 1e-12);
  }

  @Test
  void shouldChooseTheLowestThresholdWhoseRateIsAtOrUnderTheBudget() {
    // One patient, 4 patient-days: every hour from 0.001 to the risk and back; 2 of the windows
    // reach 0.2 and the rest 0.05.
    long[] counts = new long[ThresholdGrid.SIZE];
    for (int i = 0; i <= at(0.05); i++) {
      counts[i] = 48;
    }
    for (int i = at(0.05) + 1; i <= at(0.2); i++) {
      counts[i] = 2;
    }
    double days = 4;
    assertEquals(
        at(0.05) + 1,
        BudgetCore.derivedIndex(counts, days, 0.5),
        "2 onsets over 4 patient-days is exactly 0.5: at the budget is within it");
    assertEquals(
        at(0.2) + 1,
        BudgetCore.derivedIndex(counts, days, 0.49),
        "just under: only values nothing crossed are within it");
    assertEquals(0, BudgetCore.derivedIndex(counts, days, 12), "48 / 4 = 12 fits everywhere");
    long[] none = new long[ThresholdGrid.SIZE];
    assertEquals(0, BudgetCore.derivedIndex(none, days, 0.5), "nothing crossed: the lowest");
  }

  @Test
  void shouldNeverChooseALowThresholdThatPatientsSitAboveForTheirWholeStay() {
    // Patients sit above 0.002 all stay (1 onset each, when they arrive), hover around 0.03
    // (many onsets) and seldom reach 0.3.
    long[] counts = new long[ThresholdGrid.SIZE];
    for (int i = 0; i <= at(0.002); i++) {
      counts[i] = 2;
    }
    for (int i = at(0.002) + 1; i <= at(0.03); i++) {
      counts[i] = 100;
    }
    counts[at(0.3)] = 1;
    int chosen = BudgetCore.derivedIndex(counts, 10, 0.5);
    assertEquals(at(0.03) + 1, chosen, "0.002 has 0.2 onsets per day but is not a choice");
  }

  @Test
  void shouldMoveAtMostTheStepLimitPerRecompute() {
    assertEquals(3, ThresholdGrid.steps(0.25), "1.059^3 = 1.19 <= 1.25 < 1.059^4");
    assertEquals(1, ThresholdGrid.steps(0.01), "at least one grid step");
    assertEquals(53, BudgetCore.stepTowards(50, 80, 0.25));
    assertEquals(47, BudgetCore.stepTowards(50, 10, 0.25));
    assertEquals(51, BudgetCore.stepTowards(50, 51, 0.25), "within reach: straight there");
    double up = ThresholdGrid.value(53) / ThresholdGrid.value(50);
    assertTrue(up <= 1.25 && up > 1.18, "relative move " + up);

    // From the model's 0.0211 towards a budget that asks for 0.2: 25 % at most per recompute.
    BudgetState s = BudgetCore.empty();
    for (int h = 1; h <= 48; h++) {
      BudgetCore.add(
          s, obs(h, h % 2 == 0 ? 0.15 : 0.001, h % 2 == 0 ? 0.001 : 0.15, 0.0211), BUDGET);
    }
    double previous = 0.0211;
    for (int r = 0; r < 5; r++) {
      TeamThreshold t = BudgetCore.recompute(s, BUDGET, "clinic-a", "ward-1");
      assertEquals(LstmThresholdSource.BUDGET, t.getSource());
      assertTrue(t.getThreshold() > previous, "moves up");
      assertTrue(
          t.getThreshold() / previous <= 1.25 + 1e-9, t.getThreshold() + " after " + previous);
      assertTrue(t.getDerivedThreshold() > 0.15, "asks for a value above 0.15");
      previous = t.getThreshold();
    }
    assertEquals(T0.plusMillis(48 * HOUR), s.getChangedAt());
  }

  @Test
  void shouldForgetWindowsOlderThanTheBudgetWindowAndIgnoreOnesArrivingThatLate() {
    AlertBudget day = new AlertBudget(0.5, Duration.ofDays(1), Duration.ofHours(1), 0.25, 0.5);
    BudgetState s = BudgetCore.empty();
    assertTrue(BudgetCore.add(s, obs(1, 0.3, null, 0.0211), day));
    assertEquals(1, s.getBuckets().size());
    assertTrue(BudgetCore.add(s, obs(24, 0.3, 0.001, 0.0211), day));
    assertEquals(2, s.getBuckets().size(), "hour 1 is still inside (23, 24]h ... ");
    assertTrue(BudgetCore.add(s, obs(26, 0.3, 0.001, 0.0211), day));
    assertEquals(2, s.getBuckets().size(), "the bucket of hour 1 left the window");
    assertEquals(2.0 / 24, BudgetCore.patientDays(s), 1e-12);
    assertFalse(BudgetCore.add(s, obs(2, 0.9, 0.001, 0.0211), day), "older than the window");
    assertEquals(2, BudgetCore.upcrossings(s)[at(0.2)]);
  }

  @Test
  void shouldRecomputeOncePerPeriodOfEventTime() {
    BudgetState s = BudgetCore.empty();
    BudgetCore.add(s, obs(1, 0.3, null, 0.0211), BUDGET);
    assertTrue(BudgetCore.due(s, BUDGET), "never computed");
    BudgetCore.recompute(s, BUDGET, "clinic-a", "ward-1");
    assertFalse(BudgetCore.due(s, BUDGET));
    s.setNewestWindowEnd(T0.plusMillis(2 * HOUR - 1));
    assertFalse(BudgetCore.due(s, BUDGET), "a millisecond short of the period");
    s.setNewestWindowEnd(T0.plusMillis(2 * HOUR));
    assertTrue(BudgetCore.due(s, BUDGET));
  }

  @Test
  void shouldKeepATeamsWholeWindowWithinTheDocumentedSize() {
    // 40 patients scored hourly for 8 days of noisy risk: the window holds 7 days of buckets.
    java.util.Random random = new java.util.Random(13);
    BudgetState s = BudgetCore.empty();
    double[] last = new double[40];
    for (int h = 1; h <= 8 * 24; h++) {
      for (int p = 0; p < last.length; p++) {
        double risk = Math.min(1, Math.exp(-4.5 + 1.5 * random.nextGaussian()));
        BudgetCore.add(s, obs(h, risk, h == 1 ? null : last[p], 0.0211), BUDGET);
        last[p] = risk;
      }
    }
    assertEquals(7 * 24 + 1, s.getBuckets().size(), "7 days of hourly buckets and the partial one");
    int bytes =
        io.vigil.schemas.serde.AvroSerde.of(BudgetState.class)
            .serializer()
            .serialize("alerts-budget-teams", s)
            .length;
    System.out.println("budget state of one team, 7 days, 40 patients: " + bytes + " bytes");
    assertTrue(bytes <= 48 * 1024, bytes + " bytes");
    double days = BudgetCore.patientDays(s);
    assertTrue(
        days >= 7 * 40 && days <= (7 * 24 + 1) * 40 / 24.0 + 1e-9, "7 days and a bucket: " + days);
  }
}
