package io.vigil.alerts.lifecycle;

import io.vigil.alerts.state.SeenState;
import io.vigil.alerts.state.StateRowSerde;

/**
 * When a patient's risk scores were last seen, kept in {@link AlertsTopology#LAST_SEEN_STORE}.
 *
 * @param seenAt wall-clock arrival of the last risk score, the readings-stopped clock; {@link
 *     #SILENCED} after a person resolved the patient's readings-stopped alert
 * @param newestWindowEnd the newest window end judged for the patient
 * @param lastScoreAt wall-clock arrival of the last risk score, the patient-expiry clock (not reset
 *     by silencing)
 */
record LastSeen(long seenAt, long newestWindowEnd, long lastScoreAt) {
  /**
   * Seen-time of a patient whose readings-stopped alert a person resolved (a discharge, a device
   * handed back): no new one is raised until risk scores arrive again and then stop again.
   */
  static final long SILENCED = Long.MAX_VALUE;

  /** The newest window end of a patient never seen: older than every window. */
  static final long NO_WINDOW = Long.MIN_VALUE;

  /** In {@link AlertsTopology#LAST_SEEN_STORE}: the internal Avro record {@link SeenState}. */
  static final StateRowSerde<LastSeen, SeenState> SERDE =
      new StateRowSerde<>(SeenState.class, LastSeen::row, LastSeen::of);

  static SeenState row(LastSeen seen) {
    return new SeenState(
        seen.silenced() ? null : seen.seenAt,
        seen.newestWindowEnd == NO_WINDOW ? null : seen.newestWindowEnd,
        seen.lastScoreAt);
  }

  static LastSeen of(SeenState row) {
    return new LastSeen(
        row.getSeenAt() == null ? SILENCED : row.getSeenAt(),
        row.getNewestWindowEnd() == null ? NO_WINDOW : row.getNewestWindowEnd(),
        row.getLastScoreAt());
  }

  static long newestWindowEnd(LastSeen seen) {
    return seen == null ? NO_WINDOW : seen.newestWindowEnd;
  }

  boolean silenced() {
    return seenAt == SILENCED;
  }

  LastSeen silence() {
    return new LastSeen(SILENCED, newestWindowEnd, lastScoreAt);
  }
}
