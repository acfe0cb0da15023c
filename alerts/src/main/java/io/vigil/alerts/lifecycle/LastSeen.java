package io.vigil.alerts.lifecycle;

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

  /**
   * The row as {@link AlertsTopology#LAST_SEEN_STORE} keeps it: {@code seenAt,newest,lastScoreAt}.
   */
  String format() {
    return seenAt + "," + newestWindowEnd + "," + lastScoreAt;
  }

  static LastSeen parse(String row) {
    if (row == null) {
      return null;
    }
    String[] parts = row.split(",");
    if (parts.length != 3) {
      throw new IllegalStateException("unreadable last-seen row: " + row);
    }
    return new LastSeen(
        Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
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
