package io.vigil.scoring.news2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.News2Score;
import java.util.List;
import org.junit.jupiter.api.Test;

class News2CalculatorTest {

  private static News2Inputs normal() {
    return new News2Inputs(16.0, 98.0, false, false, 120.0, 70.0, Consciousness.ALERT, 37.0);
  }

  @Test
  void shouldScoreZeroAndCompleteForANormalFullSet() {
    News2Score score = News2Calculator.score(normal());
    assertEquals(0, score.getTotal());
    assertTrue(score.getComplete());
    assertEquals(List.of(), score.getMissing());
    assertFalse(score.getSingleParameter3());
  }

  @Test
  void shouldAddEverySubScoreOfAHighRiskSet() {
    // RR 25 (3) + SpO2 91 (3) + oxygen (2) + SBP 90 (3) + pulse 131 (3) + voice (3) + 39.1 (2)
    News2Score score =
        News2Calculator.score(
            new News2Inputs(25.0, 91.0, true, false, 90.0, 131.0, Consciousness.VOICE, 39.1));
    assertEquals(19, score.getTotal());
    assertTrue(score.getComplete());
    assertTrue(score.getSingleParameter3());
    assertEquals(3, score.getRespirationRate());
    assertEquals(3, score.getSpo2());
    assertEquals(2, score.getAirOrOxygen());
    assertEquals(3, score.getSystolicBp());
    assertEquals(3, score.getPulse());
    assertEquals(3, score.getConsciousness());
    assertEquals(2, score.getTemperature());
  }

  @Test
  void shouldReachTheMaximumOfTwenty() {
    News2Score score =
        News2Calculator.score(
            new News2Inputs(5.0, 80.0, true, false, 80.0, 35.0, Consciousness.UNRESPONSIVE, 34.0));
    assertEquals(20, score.getTotal());
  }

  @Test
  void shouldFlagASingleParameterScoringThreeEvenWhenTheTotalIsLow() {
    News2Score score =
        News2Calculator.score(
            new News2Inputs(16.0, 98.0, false, false, 120.0, 70.0, Consciousness.CONFUSION, 37.0));
    assertEquals(3, score.getTotal());
    assertTrue(score.getSingleParameter3());
  }

  @Test
  void shouldNotFlagSingleParameter3ForTwos() {
    News2Score score =
        News2Calculator.score(
            new News2Inputs(22.0, 92.0, true, false, 95.0, 120.0, Consciousness.ALERT, 39.5));
    assertEquals(12, score.getTotal());
    assertFalse(score.getSingleParameter3());
  }

  @Test
  void shouldListMissingParametersAndNeverCountThemAsNormal() {
    News2Score score =
        News2Calculator.score(new News2Inputs(null, 93.0, null, false, null, 120.0, null, null));
    assertEquals(2 + 2, score.getTotal());
    assertFalse(score.getComplete());
    assertEquals(
        List.of(
            News2Parameter.RESPIRATION_RATE,
            News2Parameter.AIR_OR_OXYGEN,
            News2Parameter.SYSTOLIC_BP,
            News2Parameter.CONSCIOUSNESS,
            News2Parameter.TEMPERATURE),
        score.getMissing());
    assertNull(score.getRespirationRate());
    assertNull(score.getAirOrOxygen());
    assertNull(score.getTemperature());
    assertEquals(2, score.getPulse());
  }

  @Test
  void shouldScoreNothingAndListEverythingWhenNothingWasMeasured() {
    News2Score score =
        News2Calculator.score(new News2Inputs(null, null, null, false, null, null, null, null));
    assertEquals(0, score.getTotal());
    assertFalse(score.getComplete());
    assertEquals(7, score.getMissing().size());
    assertFalse(score.getSingleParameter3());
  }

  @Test
  void shouldUseScale2OnlyWhenPrescribed() {
    News2Inputs scale1 =
        new News2Inputs(16.0, 88.0, false, false, 120.0, 70.0, Consciousness.ALERT, 37.0);
    News2Inputs scale2 =
        new News2Inputs(16.0, 88.0, false, true, 120.0, 70.0, Consciousness.ALERT, 37.0);
    assertEquals(3, News2Calculator.score(scale1).getSpo2());
    assertFalse(News2Calculator.score(scale1).getSpo2Scale2());
    assertEquals(0, News2Calculator.score(scale2).getSpo2());
    assertTrue(News2Calculator.score(scale2).getSpo2Scale2());
  }

  @Test
  void shouldScoreHighSaturationOnOxygenOnScale2AsOverOxygenation() {
    News2Score onOxygen =
        News2Calculator.score(
            new News2Inputs(16.0, 97.0, true, true, 120.0, 70.0, Consciousness.ALERT, 37.0));
    assertEquals(3, onOxygen.getSpo2());
    assertEquals(2, onOxygen.getAirOrOxygen());
    assertEquals(5, onOxygen.getTotal());
    News2Score onAir =
        News2Calculator.score(
            new News2Inputs(16.0, 97.0, false, true, 120.0, 70.0, Consciousness.ALERT, 37.0));
    assertEquals(0, onAir.getSpo2());
    assertEquals(0, onAir.getTotal());
  }

  @Test
  void shouldRoundNonIntegerMeasurementsHalfUpAtTheChartsPrecision() {
    News2Score score =
        News2Calculator.score(
            new News2Inputs(20.5, 95.5, false, false, 110.5, 90.5, Consciousness.ALERT, 35.05));
    assertEquals(2, score.getRespirationRate(), "20.5 /min rounds to 21");
    assertEquals(0, score.getSpo2(), "95.5 % rounds to 96");
    assertEquals(0, score.getSystolicBp(), "110.5 mmHg rounds to 111");
    assertEquals(1, score.getPulse(), "90.5 /min rounds to 91");
    assertEquals(1, score.getTemperature(), "35.05 °C rounds to 35.1");
  }
}
