package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.risk.RiskScore;
import java.util.List;

/**
 * What one input did to a patient: the new state, the events to emit (in order), and what changes
 * in the patient's risk history.
 *
 * @param state the patient's new state
 * @param events every transition, in the order it happened
 * @param judged a score to keep in the risk history (it was judged or kept for the trend), or null
 * @param historyBefore risk-history windows ending before this are removed; {@link #KEEP_HISTORY}
 *     when none
 */
record Step(PatientAlerts state, List<AlertEvent> events, RiskScore judged, long historyBefore) {
  static final long KEEP_HISTORY = Long.MIN_VALUE;

  Step {
    events = List.copyOf(events);
  }
}
