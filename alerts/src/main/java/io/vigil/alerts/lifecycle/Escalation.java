package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertEventType;
import java.time.Duration;

/**
 * Escalation of an alert nobody acknowledged: each deadline passed moves a clinical alert one tier
 * up (care team, charge nurse, rapid response) and notifies that tier, a technical one no further
 * than the charge nurse; at the top the tier is re-notified. Every escalation sets the next
 * deadline, the team's acknowledgement limit for the alert's priority later.
 */
final class Escalation {
  static final String[] TIER_NAMES = {"care team", "charge nurse", "rapid response"};
  static final int MAX_TIER = TIER_NAMES.length - 1;

  private Escalation() {}

  /** Sets the alert's next escalation deadline. */
  static void schedule(AlertState state, long at) {
    state.deadline = at;
  }

  /**
   * The deadline {@code dueAt} of the patient's alert {@code state} has passed; nothing happens
   * when the alert was resolved, acknowledged or rescheduled meanwhile (state null, not open, or
   * another deadline).
   */
  static void onDeadline(
      Transitions t, AlertState state, long dueAt, LifecycleConfig settings, long now) {
    if (state == null || state.status != AlertStatus.OPEN || state.deadline != dueAt) {
      return;
    }
    Duration limit =
        settings.policies().forTeam(t.key.getTenant(), state.careTeam).ackLimit(state.priority);
    // A technical alarm (a silent wearable, a failed webhook) is the charge nurse's to sort
    // out; calling the rapid response team for it would spend their attention on equipment.
    int topTier = state.category == AlertCategory.TECHNICAL ? 1 : MAX_TIER;
    if (state.tier < topTier) {
      state.tier++;
      t.emit(
          state,
          AlertEventType.ESCALATED,
          LifecycleConfig.SYSTEM_ACTOR,
          now,
          "not acknowledged within " + limit + ": escalated to " + TIER_NAMES[state.tier]);
      t.notify(state, now, TIER_NAMES[state.tier] + " notified");
    } else {
      t.notify(state, now, "still not acknowledged: " + TIER_NAMES[state.tier] + " re-notified");
    }
    schedule(state, now + limit.toMillis());
  }
}
