package io.vigil.alerts.lifecycle;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the state of a patient whose last risk score arrived more than the patient expiry ago:
 * open alerts are resolved (recorded, with a note starting {@value LifecycleConfig#EXPIRED_NOTE},
 * so the view and webhooks learn it), the risk trend and the last-seen clock are deleted. A patient
 * who sends again later starts afresh. The care-team context stays until the platform deletes it.
 */
final class PatientExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(PatientExpiry.class);

  private PatientExpiry() {}

  /**
   * The first wall-clock time at which {@link #check} removes the patient: just past the expiry
   * after the last score arrived; {@link Long#MAX_VALUE} for a patient with no last-seen clock.
   */
  static long dueAt(LastSeen seen, LifecycleConfig settings) {
    return seen == null
        ? Long.MAX_VALUE
        : seen.lastScoreAt() + settings.patientExpiry().toMillis() + 1;
  }

  static void check(Transitions t, LifecycleConfig settings, long now) {
    if (now < dueAt(t.seen, settings)) {
      return;
    }
    String note =
        LifecycleConfig.EXPIRED_NOTE
            + ": no risk score since "
            + Instant.ofEpochMilli(t.seen.lastScoreAt())
            + " ("
            + settings.patientExpiry().toDays()
            + " days or more)";
    for (AlertState state : t.alerts()) {
      state.cleared = false; // not a condition that cleared: the patient's state is removed
      t.resolve(state, LifecycleConfig.SYSTEM_ACTOR, now, note);
    }
    t.forgetHistoryBefore(Long.MAX_VALUE);
    t.seen = null;
    LOG.info("state of {} removed: no risk score for {}", t.patient, settings.patientExpiry());
  }
}
