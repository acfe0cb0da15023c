package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import java.time.Duration;
import java.time.Instant;

/**
 * The readings-stopped TECHNICAL alert: raised when a patient's risk scores stop arriving for the
 * team's {@code readings-stopped-after}, resolved by the next score. A person who resolves it
 * silences the patient until scores arrive again and then stop again.
 */
final class StoppedReadings {
  private StoppedReadings() {}

  /**
   * Whether patients are judged at all at {@code now}: after a start, the backlog gets {@code
   * grace} to catch up, otherwise a restart after downtime would flag every patient.
   */
  static boolean judging(long startedAt, long now, Duration grace) {
    return now - startedAt >= grace.toMillis();
  }

  /**
   * The first wall-clock time at which {@link #check} raises for this patient: the team's limit
   * after the last score; {@link Long#MAX_VALUE} when it never will as things stand (no score yet,
   * silenced by a person, or the alert already open).
   */
  static long dueAt(PatientAlerts state, LifecycleConfig settings) {
    LastSeen seen = state.seen();
    if (seen == null || seen.silenced() || state.alert(AlertCause.READINGS_STOPPED) != null) {
      return Long.MAX_VALUE;
    }
    String team = Routing.teamOf(state.context(), settings.fallbackTeam());
    var policy = settings.policies().forTeam(state.key().getTenant(), team);
    return seen.seenAt() + policy.readingsStoppedAfter().toMillis();
  }

  /** The periodic check of one patient. */
  static void check(Transitions t, LifecycleConfig settings, long now) {
    if (t.seen == null || t.seen.silenced() || t.alert(AlertCause.READINGS_STOPPED) != null) {
      return;
    }
    String team = Routing.teamOf(t.context, settings.fallbackTeam());
    var policy = settings.policies().forTeam(t.key.getTenant(), team);
    if (now - t.seen.seenAt() < policy.readingsStoppedAfter().toMillis()) {
      return;
    }
    t.raise(
        AlertCause.READINGS_STOPPED,
        AlertCategory.TECHNICAL,
        team,
        policy,
        null,
        null,
        now,
        "no risk score received since " + Instant.ofEpochMilli(t.seen.seenAt()));
  }

  /** A risk score arrived: an open readings-stopped alert resolves. */
  static void onScoresResumed(Transitions t, long now) {
    AlertState stopped = t.alert(AlertCause.READINGS_STOPPED);
    if (stopped != null) {
      t.resolve(stopped, LifecycleConfig.SYSTEM_ACTOR, now, "risk scores resumed");
    }
  }

  /**
   * A person resolved the readings-stopped alert (a discharge, a device handed back): no new one
   * until risk scores arrive again and stop again.
   */
  static void onResolvedByPerson(Transitions t, long time) {
    t.seen =
        t.seen == null
            ? new LastSeen(LastSeen.SILENCED, LastSeen.NO_WINDOW, time)
            : t.seen.silence();
  }
}
