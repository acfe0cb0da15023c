package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.LstmThreshold;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AcknowledgeReason;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.ResolveOutcome;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One step of the lifecycle in progress: a working copy of a patient's state and the events emitted
 * so far. The transitions every part shares live here: raise, notify, resolve, and the event each
 * emits. {@link #step()} hands the result back.
 */
final class Transitions {
  final PatientKey key;
  final String patient;
  private final Map<AlertCause, AlertState> open = new EnumMap<>(AlertCause.class);
  LastSeen seen;
  PatientContext context;
  private final List<AlertEvent> events = new ArrayList<>();
  private RiskScore judged;
  private long historyBefore = Step.KEEP_HISTORY;

  Transitions(PatientAlerts state) {
    key = state.key();
    patient = PatientKeys.format(key);
    state.open().forEach((cause, alert) -> open.put(cause, alert.copy()));
    seen = state.seen();
    context = state.context();
  }

  Step step() {
    return new Step(new PatientAlerts(key, open, seen, context), events, judged, historyBefore);
  }

  /** The open alert of {@code cause}, to change in place; null when none is open. */
  AlertState alert(AlertCause cause) {
    return open.get(cause);
  }

  /** The open alerts, in the order of their store keys (by cause name). */
  List<AlertState> alerts() {
    List<AlertState> all = new ArrayList<>(open.values());
    all.sort(Comparator.comparing(a -> a.cause.name()));
    return all;
  }

  void keepInHistory(RiskScore score) {
    judged = score;
  }

  /** Removes the risk-history windows ending before {@code windowEnd}. */
  void forgetHistoryBefore(long windowEnd) {
    historyBefore = windowEnd;
  }

  /**
   * Raises an alert: RAISED at the evidence's time, then NOTIFIED to the first tier, with the first
   * escalation deadline set.
   */
  void raise(
      AlertCause cause,
      AlertCategory category,
      String team,
      TeamPolicy policy,
      RiskScore score,
      LstmThreshold judgedAgainst,
      long now,
      String note) {
    AlertState s = new AlertState();
    long evidenceTime = score == null ? now : score.getWindowEnd().toEpochMilli();
    // A revision that raises gets its own id: the same window's first score may have raised (and
    // a person resolved) an alert of this cause already.
    String revision =
        score == null || score.getRevision() == 0 ? "" : StoreKeys.SEP + "r" + score.getRevision();
    s.alertId =
        UUID.nameUUIDFromBytes(
                (patient + StoreKeys.SEP + cause + StoreKeys.SEP + evidenceTime + revision)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    s.patient = patient;
    s.cause = cause;
    s.category = category;
    s.priority = policy.priorityOf(cause);
    s.careTeam = team;
    if (score != null) {
      Evidence.set(s, score, judgedAgainst);
    }
    emit(s, AlertEventType.RAISED, LifecycleConfig.SYSTEM_ACTOR, evidenceTime, note);
    s.notifiedAt = now;
    notify(s, now, Escalation.TIER_NAMES[0] + " " + team + " notified");
    Escalation.schedule(s, now + policy.ackLimit(s.priority).toMillis());
    open.put(cause, s);
  }

  void notify(AlertState s, long now, String note) {
    emit(s, AlertEventType.NOTIFIED, LifecycleConfig.SYSTEM_ACTOR, now, note);
  }

  void resolve(AlertState s, String actor, long time, String note) {
    resolve(s, actor, time, note, null);
  }

  /** Resolves an alert: its deadline goes, RESOLVED is emitted and the alert is no longer open. */
  void resolve(AlertState s, String actor, long time, String note, ResolveOutcome outcome) {
    s.deadline = 0;
    emit(s, AlertEventType.RESOLVED, actor, time, note, null, outcome);
    open.remove(s.cause);
  }

  void emit(AlertState s, AlertEventType type, String actor, long time, String note) {
    emit(s, type, actor, time, note, null, null);
  }

  /** An event, with the reason or outcome a nurse gave when the event is her action. */
  void emit(
      AlertState s,
      AlertEventType type,
      String actor,
      long time,
      String note,
      AcknowledgeReason reason,
      ResolveOutcome outcome) {
    s.seq++;
    boolean evidence = s.windowEnd != 0;
    events.add(
        AlertEvent.newBuilder()
            .setEventId(s.alertId + "/" + s.seq)
            .setAlertId(s.alertId)
            .setType(type)
            .setCause(s.cause)
            .setCategory(s.category)
            .setPriority(s.priority)
            .setCareTeam(s.careTeam)
            .setTier(s.tier)
            .setActor(actor)
            .setTime(Instant.ofEpochMilli(time))
            .setLstmRisk(s.lstmRisk)
            .setNews2Total(s.news2Total)
            .setWindowEnd(s.windowEnd == 0 ? null : Instant.ofEpochMilli(s.windowEnd))
            .setNote(note)
            .setRevision(evidence ? s.revision : null)
            .setLateData(evidence ? s.lateData : null)
            .setLateReadings(evidence ? s.lateReadings : null)
            .setConditionCleared(s.cleared ? Boolean.TRUE : null)
            .setLstmThreshold(evidence ? s.lstmThreshold : null)
            .setLstmThresholdSource(evidence ? s.lstmThresholdSource : null)
            .setReason(reason)
            .setOutcome(outcome)
            .build());
  }
}
