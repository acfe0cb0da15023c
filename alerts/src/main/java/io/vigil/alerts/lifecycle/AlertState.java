package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;

/**
 * The state of one open alert (one per patient and cause), kept in {@link
 * AlertsTopology#ALERTS_STORE} as the internal Avro record {@code OpenAlert} ({@link
 * AlertStateSerde}).
 */
public final class AlertState {
  String alertId;
  String patient;
  AlertCause cause;
  AlertCategory category;
  AlertPriority priority;
  String careTeam;
  int tier;
  AlertStatus status = AlertStatus.OPEN;

  /** Sequence of the last event emitted for this alert: event ids are alertId/seq. */
  int seq;

  /** Consecutive windows below the clear level (hysteresis). */
  int clearCount;

  /** Window end of the first window of the current below-the-clear-level run; 0 when none. */
  long clearFrom;

  Double lstmRisk;
  Integer news2Total;

  /** Event time (windowEnd) of the latest evidence, epoch millis; 0 when none. */
  long windowEnd;

  /** Revision of the risk score behind the latest evidence. */
  int revision;

  /** Late readings counted by the score behind the latest evidence. */
  int lateReadings;

  /** The latest evidence includes readings that arrived after their window had closed. */
  boolean lateData;

  /**
   * The condition cleared by itself before anyone acknowledged: a HIGH clinical alert stays open,
   * latched, until acknowledged.
   */
  boolean cleared;

  /**
   * LSTM threshold the latest evidence was judged against, calibrated probability; null when the
   * evidence carried no LSTM risk.
   */
  Double lstmThreshold;

  /** How that threshold was chosen; null with it. */
  LstmThresholdSource lstmThresholdSource;

  /** Wall-clock time the team was first notified, epoch millis. */
  long notifiedAt;

  /** Wall-clock deadline of the next escalation, epoch millis; 0 when none is due. */
  long deadline;

  /** A copy to change: the lifecycle core never changes the state it was given. */
  AlertState copy() {
    AlertState c = new AlertState();
    c.alertId = alertId;
    c.patient = patient;
    c.cause = cause;
    c.category = category;
    c.priority = priority;
    c.careTeam = careTeam;
    c.tier = tier;
    c.status = status;
    c.seq = seq;
    c.clearCount = clearCount;
    c.clearFrom = clearFrom;
    c.lstmRisk = lstmRisk;
    c.news2Total = news2Total;
    c.windowEnd = windowEnd;
    c.revision = revision;
    c.lateReadings = lateReadings;
    c.lateData = lateData;
    c.cleared = cleared;
    c.lstmThreshold = lstmThreshold;
    c.lstmThresholdSource = lstmThresholdSource;
    c.notifiedAt = notifiedAt;
    c.deadline = deadline;
    return c;
  }

  public String alertId() {
    return alertId;
  }

  public String patient() {
    return patient;
  }

  public AlertCause cause() {
    return cause;
  }

  public AlertPriority priority() {
    return priority;
  }

  public String careTeam() {
    return careTeam;
  }

  public int tier() {
    return tier;
  }

  public AlertStatus status() {
    return status;
  }

  public long deadline() {
    return deadline;
  }

  public int clearCount() {
    return clearCount;
  }

  public long windowEnd() {
    return windowEnd;
  }

  public Integer news2Total() {
    return news2Total;
  }

  public boolean lateData() {
    return lateData;
  }

  public boolean cleared() {
    return cleared;
  }
}
