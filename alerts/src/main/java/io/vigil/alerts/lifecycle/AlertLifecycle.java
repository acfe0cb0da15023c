package io.vigil.alerts.lifecycle;

import io.vigil.alerts.lifecycle.LifecycleInput.Action;
import io.vigil.alerts.lifecycle.LifecycleInput.Context;
import io.vigil.alerts.lifecycle.LifecycleInput.DeadlineDue;
import io.vigil.alerts.lifecycle.LifecycleInput.DeliveryFailed;
import io.vigil.alerts.lifecycle.LifecycleInput.ExpiryCheck;
import io.vigil.alerts.lifecycle.LifecycleInput.ReadingsCheck;
import io.vigil.alerts.lifecycle.LifecycleInput.Score;

/**
 * The alert lifecycle of one patient as a function: {@code (state, input, now) -> (new state,
 * events)}. No store, no clock, no Kafka: the same state, input and {@code now} always give the
 * same step. Each kind of input has its own named part:
 *
 * <ul>
 *   <li>{@link ScoreJudge}: risk scores against the team's policy (raise, update, clear, latch,
 *       late data and revisions);
 *   <li>{@link Routing}: the care team, and moving alerts when the patient's context changes;
 *   <li>{@link NurseActions}: acknowledge and resolve;
 *   <li>{@link DeliveryFailures}: the DELIVERY_FAILED alert;
 *   <li>{@link StoppedReadings}: the READINGS_STOPPED alert;
 *   <li>{@link Escalation}: deadlines and tiers;
 *   <li>{@link PatientExpiry}: forgetting a patient who stopped sending.
 * </ul>
 *
 * The transitions they share (raise, notify, resolve and their events) are {@link Transitions}.
 */
final class AlertLifecycle {
  private final LifecycleConfig settings;
  private final ScoreJudge judge;

  AlertLifecycle(LifecycleConfig settings, TeamThresholdLookup thresholds) {
    this.settings = settings;
    this.judge = new ScoreJudge(settings, thresholds);
  }

  /**
   * When the clock inputs {@link ReadingsCheck} and {@link ExpiryCheck} next have something to do
   * for this state: the earlier of {@link StoppedReadings#dueAt} and {@link PatientExpiry#dueAt};
   * {@link Long#MAX_VALUE} when neither ever will unless another input changes the state. Before
   * that time both checks leave the state as it is, so the adapter only needs to check a patient
   * then, not every patient on every tick.
   */
  long nextCheck(PatientAlerts state) {
    return Math.min(
        StoppedReadings.dueAt(state, settings), PatientExpiry.dueAt(state.seen(), settings));
  }

  Step apply(PatientAlerts state, LifecycleInput input, long now) {
    Transitions t = new Transitions(state);
    if (input instanceof Score s) {
      judge.onScore(t, s.score(), s.judged(), now);
    } else if (input instanceof Context c) {
      Routing.onContext(t, c.context(), settings.fallbackTeam(), now);
    } else if (input instanceof Action a) {
      NurseActions.onAction(t, a.action());
    } else if (input instanceof DeliveryFailed f) {
      DeliveryFailures.onFailed(t, f.failed(), settings, now);
    } else if (input instanceof DeadlineDue d) {
      Escalation.onDeadline(t, t.alert(d.cause()), d.dueAt(), settings, now);
    } else if (input instanceof ReadingsCheck) {
      StoppedReadings.check(t, settings, now);
    } else if (input instanceof ExpiryCheck) {
      PatientExpiry.check(t, settings, now);
    } else {
      throw new IllegalArgumentException("unknown lifecycle input " + input);
    }
    return t.step();
  }
}
