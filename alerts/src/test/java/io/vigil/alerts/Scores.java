package io.vigil.alerts;

import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.Contributor;
import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.News2Score;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Risk scores, contexts, actions and readings as the scoring service, the nurse API and a platform
 * produce them.
 */
public final class Scores {
  private Scores() {}

  /** A score whose NEWS2 total (at most 10) is spread over parameters scoring at most 2 each. */
  public static RiskScore score(Instant windowEnd, Double lstmRisk, int news2Total) {
    int[] sub = new int[5];
    int left = news2Total;
    for (int i = 0; i < sub.length && left > 0; i++) {
      sub[i] = Math.min(2, left);
      left -= sub[i];
    }
    if (left > 0) {
      throw new IllegalArgumentException("total too high for sub-scores of at most 2");
    }
    return build(windowEnd, lstmRisk, news2Total, sub, false);
  }

  /** A score where one parameter (respiration rate) scores 3 and the total is 3. */
  public static RiskScore singleParameter3(Instant windowEnd) {
    return build(windowEnd, 0.1, 3, new int[] {3, 0, 0, 0, 0}, true);
  }

  private static RiskScore build(
      Instant windowEnd, Double lstm, int total, int[] sub, boolean single3) {
    News2Score news2 =
        News2Score.newBuilder()
            .setTotal(total)
            .setComplete(false)
            .setMissing(List.of(News2Parameter.CONSCIOUSNESS))
            .setRespirationRate(sub[0])
            .setSpo2(sub[1])
            .setSpo2Scale2(false)
            .setAirOrOxygen(0)
            .setSystolicBp(sub[2])
            .setPulse(sub[3])
            .setConsciousness(null)
            .setTemperature(sub[4])
            .setSingleParameter3(single3)
            .build();
    return RiskScore.newBuilder()
        .setWindowStart(windowEnd.minusSeconds(12 * 3600))
        .setWindowEnd(windowEnd)
        .setLstmRisk(lstm)
        .setNews2(news2)
        .setContributors(
            List.of(
                new Contributor(VitalType.RESPIRATORY_RATE, 0.21),
                new Contributor(VitalType.HEART_RATE, 0.12)))
        .setModelVersion("lstm-test")
        .setScoredAt(windowEnd.plusSeconds(5))
        .build();
  }

  /**
   * {@code score} as scoring emits it when late readings changed its window: revision {@code
   * revision} (0 for a late first score) counting {@code lateReadings} late heart-rate readings,
   * the previous revision's values taken from {@code previous} when there is one.
   */
  public static RiskScore late(
      RiskScore score, int revision, int lateReadings, RiskScore previous) {
    return RiskScore.newBuilder(score)
        .setRevision(revision)
        .setLateReadings(lateReadings)
        .setLateVitals(List.of("heart_rate"))
        .setPreviousLstmRisk(previous == null ? null : previous.getLstmRisk())
        .setPreviousNews2Total(previous == null ? null : previous.getNews2().getTotal())
        .setScoredAt(score.getWindowEnd().plusSeconds(3600L * (revision + 1)))
        .build();
  }

  public static PatientContext context(Instant at, String... teams) {
    return PatientContext.newBuilder().setCareTeams(List.of(teams)).setUpdatedAt(at).build();
  }

  public static AlertAction action(
      String actionId, String alertId, AlertActionType type, String actor, Instant time) {
    return AlertAction.newBuilder()
        .setActionId(actionId)
        .setAlertId(alertId)
        .setAction(type)
        .setActor(actor)
        .setTime(time)
        .setNote(null)
        .build();
  }

  /** A heart rate of {@code patient} measured at {@code at}, as ingest writes it. */
  public static ProducerRecord<PatientKey, VitalObservation> heartRate(
      PatientKey patient, double value, Instant at) {
    return new ProducerRecord<>(
        Topics.VITALS_OBSERVATIONS.name(),
        patient,
        VitalObservation.newBuilder()
            .setReadingId("r-" + PatientKeys.format(patient) + "-" + at.toEpochMilli())
            .setSourceId("platform-test")
            .setVital(VitalType.HEART_RATE)
            .setLoinc("8867-4")
            .setValue(value)
            .setUnit("/min")
            .setTime(at)
            .setTimeReceived(at)
            .build());
  }
}
