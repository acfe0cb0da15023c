package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A nurse's acknowledgement or resolution of an open alert. Acknowledging stops escalation (and
 * resolves a latched alert whose condition has cleared); resolving closes the alert with the
 * nurse's outcome. An action on an alert that is not open changes nothing. Each action id is
 * applied once: resends are dropped before they get here ({@link AlertProcessor}'s action memory).
 */
final class NurseActions {
  private static final Logger LOG = LoggerFactory.getLogger(NurseActions.class);

  private NurseActions() {}

  static void onAction(Transitions t, AlertAction action) {
    AlertState state = find(t, action.getAlertId());
    if (state == null) {
      LOG.info(
          "action {} on alert {} which is not open: ignored",
          action.getActionId(),
          action.getAlertId());
      return;
    }
    long time = action.getTime().toEpochMilli();
    if (action.getAction() == AlertActionType.ACKNOWLEDGE) {
      if (state.status != AlertStatus.OPEN) {
        return;
      }
      state.status = AlertStatus.ACKNOWLEDGED;
      state.deadline = 0;
      t.emit(
          state,
          AlertEventType.ACKNOWLEDGED,
          action.getActor(),
          time,
          action.getNote(),
          action.getReason(),
          null);
      if (state.cleared) {
        t.resolve(
            state,
            LifecycleConfig.SYSTEM_ACTOR,
            time,
            "latched alert acknowledged after its condition had cleared");
      }
    } else {
      t.resolve(state, action.getActor(), time, action.getNote(), action.getOutcome());
      if (state.cause == AlertCause.READINGS_STOPPED) {
        StoppedReadings.onResolvedByPerson(t, time);
      }
    }
  }

  private static AlertState find(Transitions t, String alertId) {
    for (AlertState s : t.alerts()) {
      if (s.alertId.equals(alertId)) {
        return s;
      }
    }
    return null;
  }
}
