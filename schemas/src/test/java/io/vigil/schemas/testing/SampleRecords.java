package io.vigil.schemas.testing;

import io.vigil.schemas.Vital;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.patients.Sex;
import io.vigil.schemas.risk.Contributor;
import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.News2Score;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.risk.VitalCompleteness;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Fully populated example records of every type of the contract, for tests. */
public final class SampleRecords {
  public static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private SampleRecords() {}

  public static VitalObservation observation(
      String readingId, Vital vital, double value, Instant time) {
    return VitalObservation.newBuilder()
        .setReadingId(readingId)
        .setSourceId("source-1")
        .setDeviceId("watch-7")
        .setVital(vital.type())
        .setLoinc(vital.loinc())
        .setValue(value)
        .setUnit(vital.unit())
        .setTime(time)
        .setTimeReceived(time.plusSeconds(2))
        .build();
  }

  public static RejectedObservation rejected() {
    return RejectedObservation.newBuilder()
        .setTopic("vitals.observations")
        .setPartition(3)
        .setOffset(42L)
        .setKey(ByteBuffer.wrap(new byte[] {1, 2}))
        .setValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 1, 9}))
        .setReason(RejectionReason.UNDECODABLE)
        .setDetail("bad header")
        .setRecordTime(T0)
        .setRejectedAt(T0.plusSeconds(1))
        .setRejectedBy("vigil-scoring")
        .build();
  }

  public static PatientContext context() {
    return PatientContext.newBuilder()
        .setCareTeams(List.of("ward-7", "cardio"))
        .setAge(71)
        .setSex(Sex.FEMALE)
        .setOxygenTherapy(true)
        .setSpo2Scale2(true)
        .setConsciousness(Consciousness.ALERT)
        .setConsciousnessTime(T0)
        .setMonitoringStart(T0.minusSeconds(86_400))
        .setUpdatedAt(T0)
        .build();
  }

  public static RiskScore riskScore() {
    News2Score news2 =
        News2Score.newBuilder()
            .setTotal(6)
            .setComplete(false)
            .setMissing(List.of(News2Parameter.CONSCIOUSNESS))
            .setRespirationRate(2)
            .setSpo2(1)
            .setSpo2Scale2(false)
            .setAirOrOxygen(0)
            .setSystolicBp(1)
            .setPulse(2)
            .setConsciousness(null)
            .setTemperature(0)
            .setSingleParameter3(false)
            .build();
    return RiskScore.newBuilder()
        .setWindowStart(T0.minusSeconds(12 * 3600))
        .setWindowEnd(T0)
        .setLstmRisk(0.37)
        .setNews2(news2)
        .setCompleteness(List.of(new VitalCompleteness(VitalType.HEART_RATE, 12, 1.0)))
        .setContributors(List.of(new Contributor(VitalType.RESPIRATORY_RATE, 0.12)))
        .setModelVersion("lstm-test")
        .setScoredAt(T0.plusSeconds(1))
        .build();
  }

  public static AlertEvent alertEvent() {
    return AlertEvent.newBuilder()
        .setEventId("e-1")
        .setAlertId("a-1")
        .setType(AlertEventType.ESCALATED)
        .setCause(AlertCause.NEWS2_HIGH)
        .setCategory(AlertCategory.CLINICAL)
        .setPriority(AlertPriority.HIGH)
        .setCareTeam("ward-7")
        .setTier(1)
        .setActor("system")
        .setTime(T0)
        .setLstmRisk(0.8)
        .setNews2Total(8)
        .setWindowEnd(T0)
        .setNote(null)
        .build();
  }

  public static AlertAction alertAction() {
    return AlertAction.newBuilder()
        .setActionId("act-1")
        .setAlertId("a-1")
        .setAction(AlertActionType.ACKNOWLEDGE)
        .setActor("nurse.ada")
        .setTime(T0)
        .setNote("seen")
        .build();
  }
}
