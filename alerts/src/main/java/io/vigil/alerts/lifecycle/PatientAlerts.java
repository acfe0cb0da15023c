package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything the alert lifecycle knows of one patient: the open alert of each cause, when risk
 * scores were last seen, and the patient's context (care teams). The lifecycle core takes one and
 * gives back a new one; it never changes the one it was given.
 *
 * @param key the patient
 * @param open the open (or acknowledged) alert of each cause; a cause absent has none
 * @param seen when risk scores were last seen; null before the first score and after expiry
 * @param context the platform's context of the patient; null when none was received
 */
record PatientAlerts(
    PatientKey key, Map<AlertCause, AlertState> open, LastSeen seen, PatientContext context) {

  PatientAlerts {
    EnumMap<AlertCause, AlertState> copy = new EnumMap<>(AlertCause.class);
    copy.putAll(open);
    open = Collections.unmodifiableMap(copy);
  }

  /** A patient the lifecycle has never seen. */
  static PatientAlerts none(PatientKey key) {
    return new PatientAlerts(key, Map.of(), null, null);
  }

  AlertState alert(AlertCause cause) {
    return open.get(cause);
  }
}
