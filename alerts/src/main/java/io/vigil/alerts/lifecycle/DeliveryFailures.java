package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;

/**
 * A webhook that could not deliver an alert's event: one DELIVERY_FAILED TECHNICAL alert per
 * patient, raised for the team whose webhook failed and updated by each further failure.
 */
final class DeliveryFailures {
  private DeliveryFailures() {}

  static void onFailed(Transitions t, AlertEvent failed, LifecycleConfig settings, long now) {
    if (failed.getCause() == AlertCause.DELIVERY_FAILED) {
      return; // never alert about the delivery of a delivery alert: that would loop
    }
    String note =
        "webhook delivery of " + failed.getType() + " for alert " + failed.getAlertId() + " failed";
    AlertState open = t.alert(AlertCause.DELIVERY_FAILED);
    if (open != null) {
      t.emit(open, AlertEventType.UPDATED, LifecycleConfig.SYSTEM_ACTOR, now, note);
      return;
    }
    String team =
        failed.getCareTeam() == null
            ? Routing.teamOf(t.context, settings.fallbackTeam())
            : failed.getCareTeam();
    t.raise(
        AlertCause.DELIVERY_FAILED,
        AlertCategory.TECHNICAL,
        team,
        settings.policies().forTeam(t.key.getTenant(), team),
        null,
        null,
        now,
        note);
  }
}
