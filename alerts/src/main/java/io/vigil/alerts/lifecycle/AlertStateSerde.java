package io.vigil.alerts.lifecycle;

import io.vigil.alerts.state.OpenAlert;
import io.vigil.alerts.state.StateRowSerde;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;

/**
 * {@link AlertState} in the state store and its changelog: the internal Avro record {@link
 * OpenAlert} ({@code src/main/avro/io/vigil/alerts/state}), through {@link StateRowSerde}.
 */
final class AlertStateSerde {
  static final StateRowSerde<AlertState, OpenAlert> SERDE =
      new StateRowSerde<>(OpenAlert.class, AlertStateSerde::row, AlertStateSerde::state);

  private AlertStateSerde() {}

  static byte[] write(AlertState s) {
    return SERDE.write(s);
  }

  static AlertState read(byte[] bytes) {
    return SERDE.read(bytes);
  }

  static OpenAlert row(AlertState s) {
    return OpenAlert.newBuilder()
        .setAlertId(s.alertId)
        .setPatient(s.patient)
        .setCause(s.cause.name())
        .setCategory(s.category.name())
        .setPriority(s.priority.name())
        .setCareTeam(s.careTeam)
        .setTier(s.tier)
        .setStatus(s.status.name())
        .setSeq(s.seq)
        .setClearCount(s.clearCount)
        .setClearFrom(s.clearFrom == 0 ? null : s.clearFrom)
        .setLstmRisk(s.lstmRisk)
        .setNews2Total(s.news2Total)
        .setWindowEnd(s.windowEnd == 0 ? null : s.windowEnd)
        .setRevision(s.revision)
        .setLateReadings(s.lateReadings)
        .setLateData(s.lateData)
        .setConditionCleared(s.cleared)
        .setLstmThreshold(s.lstmThreshold)
        .setLstmThresholdSource(s.lstmThresholdSource == null ? null : s.lstmThresholdSource.name())
        .setNotifiedAt(s.notifiedAt)
        .setDeadline(s.deadline == 0 ? null : s.deadline)
        .build();
  }

  static AlertState state(OpenAlert row) {
    AlertState s = new AlertState();
    s.alertId = row.getAlertId();
    s.patient = row.getPatient();
    s.cause = AlertCause.valueOf(row.getCause());
    s.category = AlertCategory.valueOf(row.getCategory());
    s.priority = AlertPriority.valueOf(row.getPriority());
    s.careTeam = row.getCareTeam();
    s.tier = row.getTier();
    s.status = AlertStatus.valueOf(row.getStatus());
    s.seq = row.getSeq();
    s.clearCount = row.getClearCount();
    s.clearFrom = row.getClearFrom() == null ? 0 : row.getClearFrom();
    s.lstmRisk = row.getLstmRisk();
    s.news2Total = row.getNews2Total();
    s.windowEnd = row.getWindowEnd() == null ? 0 : row.getWindowEnd();
    s.revision = row.getRevision();
    s.lateReadings = row.getLateReadings();
    s.lateData = row.getLateData();
    s.cleared = row.getConditionCleared();
    s.lstmThreshold = row.getLstmThreshold();
    s.lstmThresholdSource =
        row.getLstmThresholdSource() == null
            ? null
            : LstmThresholdSource.valueOf(row.getLstmThresholdSource());
    s.notifiedAt = row.getNotifiedAt();
    s.deadline = row.getDeadline() == null ? 0 : row.getDeadline();
    return s;
  }
}
