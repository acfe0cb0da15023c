package io.vigil.alerts.lifecycle;

import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The lifecycle core with the default policy (NEWS2 HIGH at 7, MEDIUM at 5, margin 1, two windows
 * to clear, readings stopped after 3 h, acknowledge within 5/15/60 min) and a fixed wall clock: no
 * driver, no broker.
 */
final class Core {
  static final PatientKey KEY = PatientKeys.of("clinic-a", "p1");
  static final long NOW = Instant.parse("2026-03-01T09:00:00Z").toEpochMilli();
  static final Instant WINDOW = Instant.parse("2026-03-01T08:00:00Z");
  static final LifecycleConfig SETTINGS =
      LifecycleConfig.defaults(PolicyBook.of(TeamPolicy.defaults())).withFallbackTeam("ward-1");

  final AlertLifecycle lifecycle;
  PatientAlerts state = PatientAlerts.none(KEY);
  Step last;

  Core() {
    this(SETTINGS);
  }

  Core(LifecycleConfig settings) {
    lifecycle = new AlertLifecycle(settings, TeamThresholdLookup.NONE);
  }

  /** Applies {@code input} at {@code now} and keeps the new state; the step's events. */
  List<AlertEvent> apply(LifecycleInput input, long now) {
    last = lifecycle.apply(state, input, now);
    state = last.state();
    return last.events();
  }

  /** A first score of the window ending {@code hours} after {@link #WINDOW}, arriving at now. */
  List<AlertEvent> score(int hours, Double lstm, int news2, long now) {
    return apply(new LifecycleInput.Score(window(hours, lstm, news2), null), now);
  }

  static RiskScore window(int hours, Double lstm, int news2) {
    return Scores.score(WINDOW.plus(Duration.ofHours(hours)), lstm, news2);
  }

  List<AlertEvent> act(AlertCause cause, AlertActionType type, long at) {
    return apply(
        new LifecycleInput.Action(
            Scores.action(
                "act-" + at, alert(cause).alertId(), type, "nurse-1", Instant.ofEpochMilli(at))),
        at);
  }

  AlertState alert(AlertCause cause) {
    return state.alert(cause);
  }

  static List<AlertEventType> types(List<AlertEvent> events) {
    return events.stream().map(AlertEvent::getType).toList();
  }

  static long minutes(long m) {
    return Duration.ofMinutes(m).toMillis();
  }
}
