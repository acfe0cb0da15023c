package io.vigil.alerts.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertPolicyTest {
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
  private static final TeamPolicy P = TeamPolicy.defaults();

  @ParameterizedTest(name = "NEWS2 {0}: high {1}, medium {2}")
  @CsvSource({
    "0, BELOW, BELOW",
    "3, BELOW, BELOW",
    "4, BELOW, BAND",
    "5, BELOW, ABOVE",
    "6, BAND, ABOVE",
    "7, ABOVE, ABOVE",
    "10, ABOVE, ABOVE"
  })
  void shouldJudgeNews2TotalsAtEveryBoundary(int total, Signal high, Signal medium) {
    Map<AlertCause, Signal> s = AlertPolicy.evaluate(Scores.score(T, 0.1, total), P);
    assertEquals(high, s.get(AlertCause.NEWS2_HIGH));
    assertEquals(medium, s.get(AlertCause.NEWS2_MEDIUM));
  }

  @ParameterizedTest(name = "LSTM {0} -> {1}")
  @CsvSource({
    "0.5, ABOVE",
    "0.97, ABOVE",
    "0.4999, BAND",
    "0.4, BAND",
    "0.3999, BELOW",
    "0, BELOW"
  })
  void shouldJudgeLstmRiskAgainstThresholdAndClearMargin(double risk, Signal expected) {
    assertEquals(
        expected, AlertPolicy.evaluate(Scores.score(T, risk, 0), P).get(AlertCause.LSTM_RISK));
  }

  /** The shipped model recommends 0.0211; the clear level is 80 % of it, 0.01688. */
  @ParameterizedTest(name = "LSTM {0} against the model's 0.0211 -> {1}")
  @CsvSource({
    "0.0211, ABOVE",
    "0.5, ABOVE",
    "0.0210, BAND",
    "0.01689, BAND",
    "0.01687, BELOW",
    "0, BELOW"
  })
  void shouldJudgeLstmRiskAgainstTheThresholdItsModelRecommends(double risk, Signal expected) {
    RiskScore score = Scores.score(T, risk, 0);
    score.setLstmThreshold(0.0211);
    assertEquals(expected, AlertPolicy.evaluate(score, P).get(AlertCause.LSTM_RISK));
  }

  @Test
  void aTeamsExplicitLstmThresholdOverridesTheModels() {
    TeamPolicy explicit = fixedAt(0.3).build();
    RiskScore score = Scores.score(T, 0.27, 0);
    score.setLstmThreshold(0.0211);
    assertEquals(Signal.BAND, AlertPolicy.evaluate(score, explicit).get(AlertCause.LSTM_RISK));
    assertEquals(Signal.ABOVE, AlertPolicy.evaluate(score, P).get(AlertCause.LSTM_RISK));
  }

  @Test
  void shouldNotJudgeLstmWhenTheModelGaveNoRisk() {
    assertEquals(
        Signal.UNKNOWN,
        AlertPolicy.evaluate(Scores.score(T, null, 2), P).get(AlertCause.LSTM_RISK));
  }

  @Test
  void shouldRaiseSingleParameterScoring3EvenWhenTotalIsLow() {
    Map<AlertCause, Signal> s = AlertPolicy.evaluate(Scores.singleParameter3(T), P);
    assertEquals(Signal.ABOVE, s.get(AlertCause.NEWS2_SINGLE_PARAMETER));
    assertEquals(Signal.BELOW, s.get(AlertCause.NEWS2_MEDIUM));
    assertEquals(
        Signal.BELOW,
        AlertPolicy.evaluate(Scores.score(T, 0.1, 6), P).get(AlertCause.NEWS2_SINGLE_PARAMETER));
  }

  @Test
  void shouldUseTheTeamsOwnLstmThreshold() {
    TeamPolicy strict =
        fixedAt(0.3)
            .lstmPriority(AlertPriority.HIGH)
            .clearWindows(3)
            .readingsStoppedAfter(Duration.ofHours(1))
            .build();
    PolicyBook book = new PolicyBook(P, Map.of("icu", strict));
    assertEquals(
        Signal.ABOVE,
        AlertPolicy.evaluate(Scores.score(T, 0.31, 0), book.forTeam("icu"))
            .get(AlertCause.LSTM_RISK));
    assertEquals(
        Signal.BELOW,
        AlertPolicy.evaluate(Scores.score(T, 0.31, 0), book.forTeam("ward-1"))
            .get(AlertCause.LSTM_RISK));
    assertEquals(AlertPriority.HIGH, strict.priorityOf(AlertCause.LSTM_RISK));
  }

  @Test
  void shouldGiveDocumentedPriorities() {
    assertEquals(AlertPriority.HIGH, P.priorityOf(AlertCause.NEWS2_HIGH));
    assertEquals(AlertPriority.MEDIUM, P.priorityOf(AlertCause.NEWS2_MEDIUM));
    assertEquals(AlertPriority.MEDIUM, P.priorityOf(AlertCause.NEWS2_SINGLE_PARAMETER));
    assertEquals(AlertPriority.MEDIUM, P.priorityOf(AlertCause.LSTM_RISK));
    assertEquals(Duration.ofMinutes(5), P.ackLimit(AlertPriority.HIGH));
    assertEquals(Duration.ofMinutes(15), P.ackLimit(AlertPriority.MEDIUM));
    assertEquals(Duration.ofMinutes(60), P.ackLimit(AlertPriority.LOW));
  }

  @Test
  void shouldRejectAnImpossibleThresholdWithASpecificMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> P.toBuilder().lstmThreshold(1.5).lstmThresholdFromModel(false).build());
    assertTrue(e.getMessage().contains("lstm-threshold must be in (0, 1]"), e.getMessage());
  }

  @Test
  void shouldJudgeATeamWithABudgetAgainstItsDerivedThresholdOnceThereIsOne() {
    TeamPolicy budgeted = P.withBudget(AlertBudget.of(0.5));
    RiskScore score = Scores.score(T, 0.05, 0);
    score.setLstmThreshold(0.0211);
    assertEquals(
        new LstmThreshold(0.0211, LstmThresholdSource.MODEL),
        budgeted.lstmThresholdFor(0.0211, null),
        "no derived threshold yet: the model's");
    assertEquals(
        new LstmThreshold(0.05, LstmThresholdSource.BUDGET),
        budgeted.lstmThresholdFor(0.0211, 0.05));
    assertEquals(
        Signal.ABOVE,
        AlertPolicy.evaluate(score, budgeted, 0.05).get(AlertCause.LSTM_RISK),
        "a risk exactly at the derived threshold raises");
    assertEquals(
        Signal.BAND,
        AlertPolicy.evaluate(score, budgeted, 0.0501).get(AlertCause.LSTM_RISK),
        "just under it is in the band (clear level 80 % of it)");
    assertEquals(
        Signal.BELOW,
        AlertPolicy.evaluate(score, budgeted, 0.0626).get(AlertCause.LSTM_RISK),
        "below 80 % of 0.0626 (0.05008) counts towards clearing");
    assertEquals(
        Signal.ABOVE,
        AlertPolicy.evaluate(score, P, 0.5).get(AlertCause.LSTM_RISK),
        "a team without a budget ignores any derived threshold");
    TeamPolicy fixed = fixedAt(0.3).build();
    assertEquals(
        new LstmThreshold(0.3, LstmThresholdSource.FIXED), fixed.lstmThresholdFor(0.0211, null));
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class, () -> fixedAt(0.3).budget(AlertBudget.of(0.5)).build());
    assertTrue(
        both.getMessage().contains("alert-budget and lstm-threshold both set"), both.getMessage());
  }

  /**
   * The defaults with a team's own LSTM threshold (margin 0.05), as {@code lstm-threshold} sets.
   */
  private static TeamPolicy.Builder fixedAt(double threshold) {
    return P.toBuilder().lstmThreshold(threshold).lstmMargin(0.05).lstmThresholdFromModel(false);
  }
}
