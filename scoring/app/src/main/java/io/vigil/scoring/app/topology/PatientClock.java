package io.vigil.scoring.app.topology;

import io.vigil.scoring.app.state.ClockState;

/**
 * One patient's event-time clock and window schedule.
 *
 * <p>Each patient is its own clock: a wearable that syncs two days of readings after being offline
 * is windowed by its own readings' times, not declared late by other patients' live data on the
 * same partition. A window ending at {@code e} becomes due once the patient's latest reading time
 * reaches {@code e + grace}, or once that time has come on the wall clock counted from when the
 * latest reading was accepted and the partition's stream time reached it too (a live device need
 * not send its next reading first), or, after the patient went silent, once the partition's stream
 * time reaches it; from then on it is closed, and a reading that would change it is late: it still
 * counts within the allowed lateness, and the closed windows it falls in are scored again.
 *
 * @param maxTime latest event time of an accepted reading
 * @param nextEnd end of the next window to close, {@link #NONE} when no window is pending
 * @param closedThrough end of the last window closed, {@link #NONE} before the first
 * @param lastSeenWall wall-clock time the last reading was accepted (idle detection only)
 * @param bucketsFrom the patient has no bucket row starting before this time ({@link #NONE} when
 *     not known): bucket rows stay after their window is scored, for the allowed lateness, and are
 *     deleted from here on as the clock moves
 * @param phase the patient's window phase in milliseconds ({@link ScoringConfig#phaseMs}), fixed
 *     when the clock starts: the patient's windows end at multiples of the cadence plus it. Every
 *     time of the patient's state (the fields above except {@code lastSeenWall}, bucket rows, the
 *     history and the times inside their summaries) is in the patient's own time, event time minus
 *     the phase, so that the cadence grid and the hour slots are those of phase 0; the keys shared
 *     with other patients (pending and due windows) and those the risk API reads (scores,
 *     revisions) are in event time.
 */
record PatientClock(
    long maxTime,
    long nextEnd,
    long closedThrough,
    long lastSeenWall,
    long bucketsFrom,
    long phase) {
  static final long NONE = Long.MIN_VALUE;
  static final PatientClock EMPTY = new PatientClock(NONE, NONE, NONE, 0, NONE, 0);

  /** A patient's first clock, with its window phase. */
  static PatientClock starting(long phase) {
    return new PatientClock(NONE, NONE, NONE, 0, NONE, phase);
  }

  /** Stored as a {@code ClockState} record ({@link StateRows#clocks}). */
  byte[] encode() {
    return StateRows.clocks()
        .encode(
            new ClockState(
                StateRows.optional(maxTime, NONE),
                StateRows.optional(nextEnd, NONE),
                StateRows.optional(closedThrough, NONE),
                lastSeenWall,
                StateRows.optional(bucketsFrom, NONE),
                phase));
  }

  static PatientClock decode(byte[] bytes) {
    if (bytes == null) {
      return EMPTY;
    }
    ClockState state = StateRows.decode(StateRows.clocks(), bytes);
    return new PatientClock(
        StateRows.orNone(state.getMaxTime(), NONE),
        StateRows.orNone(state.getNextEnd(), NONE),
        StateRows.orNone(state.getClosedThrough(), NONE),
        state.getLastSeenWall(),
        StateRows.orNone(state.getBucketsFrom(), NONE),
        state.getPhase());
  }

  /** The patient's own time of an event time. */
  long own(long eventTime) {
    return eventTime - phase;
  }

  /** The event time of a time in the patient's own time. */
  long event(long ownTime) {
    return ownTime + phase;
  }

  PatientClock withBucketsFrom(long from) {
    return new PatientClock(maxTime, nextEnd, closedThrough, lastSeenWall, from, phase);
  }

  /** True when a reading whose first window ends at {@code firstWindowEnd} can no longer count. */
  boolean isClosed(long firstWindowEnd) {
    return closedThrough != NONE && firstWindowEnd <= closedThrough;
  }

  PatientClock withReading(long time, long firstWindowEnd, long wallNow) {
    long next = nextEnd == NONE ? firstWindowEnd : Math.min(nextEnd, firstWindowEnd);
    return new PatientClock(
        Math.max(maxTime, time), next, closedThrough, wallNow, bucketsFrom, phase);
  }

  /**
   * A reading whose window already closed: it moves the latest time (it may be later than the
   * latest reading when the patient's windows were closed by the partition's stream time); its
   * closed windows are revised instead, and {@code openEnd}, when not {@link #NONE}, is the first
   * still open window it falls in, which must be scheduled.
   */
  PatientClock withLateReading(long time, long openEnd, long wallNow) {
    long next = openEnd == NONE || nextEnd != NONE && nextEnd <= openEnd ? nextEnd : openEnd;
    return new PatientClock(
        Math.max(maxTime, time), next, closedThrough, wallNow, bucketsFrom, phase);
  }

  PatientClock withNextEnd(long next) {
    return new PatientClock(maxTime, next, closedThrough, lastSeenWall, bucketsFrom, phase);
  }

  PatientClock closing(long windowEnd, long next) {
    return new PatientClock(maxTime, next, windowEnd, lastSeenWall, bucketsFrom, phase);
  }
}
