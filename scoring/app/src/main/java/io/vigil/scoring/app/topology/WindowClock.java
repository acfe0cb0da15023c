package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-time rules of one patient's windows, over their {@link PatientClock}: whether a reading
 * counts, is late or is too late; which closed windows a late reading revises; which windows the
 * clock closes (and so queues as due); when a silent patient's windows close. All times are in the
 * patient's own time (event time minus the phase) unless a name says otherwise.
 */
final class WindowClock {
  private final ScoringConfig config;

  WindowClock(ScoringConfig config) {
    this.config = config;
  }

  /** How a reading relates to the patient's closed windows. */
  enum Kind {
    /** Its first window is still open: it counts and moves the clock. */
    ON_TIME,
    /** Its first window closed already, within the allowed lateness: it counts and revises. */
    LATE,
    /** More than the allowed lateness behind the patient's latest reading: rejected. */
    TOO_LATE
  }

  /**
   * A reading at {@code time}: its kind, its bucket's start and the end of the first window it
   * falls in.
   */
  record Arrival(Kind kind, long time, long bucket, long firstWindowEnd) {}

  Arrival arrive(PatientClock clock, long time) {
    long bucket = config.bucketStart(time);
    long firstWindowEnd = bucket + config.cadenceMs();
    Kind kind;
    if (clock.maxTime() != PatientClock.NONE
        && time < clock.maxTime() - config.allowedLatenessMs()) {
      kind = Kind.TOO_LATE;
    } else if (clock.isClosed(firstWindowEnd)) {
      kind = Kind.LATE;
    } else {
      kind = Kind.ON_TIME;
    }
    return new Arrival(kind, time, bucket, firstWindowEnd);
  }

  /**
   * Ends of the closed windows a late reading falls in, oldest first: from its first window to the
   * last closed one, at most W hours of windows.
   */
  List<Long> revisedEnds(PatientClock clock, Arrival late) {
    long last = Math.min(clock.closedThrough(), config.lastWindowEnd(late.time()));
    List<Long> ends = new ArrayList<>();
    for (long end = late.firstWindowEnd(); end <= last; end += config.cadenceMs()) {
      ends.add(end);
    }
    return ends;
  }

  /**
   * The due entry of a closed window after a late reading of {@code vital} fell in it: a new
   * revision, or the waiting entry (which keeps its kind) counting one more late reading.
   */
  static DueEntry queueLate(DueEntry waiting, long wallNow, Vital vital) {
    return waiting == null ? DueEntry.revised(wallNow, vital) : waiting.withLateReading(vital);
  }

  /**
   * The clock after an accepted reading: an on-time reading schedules its first window; a late one
   * schedules the first still-open window it falls in, if any (after an idle closure it may not be
   * scheduled yet).
   */
  PatientClock accept(PatientClock clock, Arrival arrival, long wallNow) {
    if (arrival.kind() == Kind.LATE) {
      long firstOpen = clock.closedThrough() + config.cadenceMs();
      return clock.withLateReading(
          arrival.time(),
          config.lastWindowEnd(arrival.time()) >= firstOpen ? firstOpen : PatientClock.NONE,
          wallNow);
    }
    return clock.withReading(arrival.time(), arrival.firstWindowEnd(), wallNow);
  }

  /** Windows ending at or before this time are closed by the patient's own readings. */
  long closableThrough(PatientClock clock) {
    return clock.maxTime() - config.graceMs();
  }

  /**
   * Windows ending at or before this time are closed by the wall clock: the grace has passed since
   * the patient's latest reading time, on the wall clock from when that reading was accepted. A
   * device sending live readings keeps its event time with the wall clock, so its window closes
   * when the grace has passed in real time, without waiting for the patient's next reading to move
   * its own clock; a device syncing a backlog sends faster than the wall clock moves, and its own
   * readings close its windows. {@link PatientClock#NONE} before the first reading.
   */
  long closableByWallThrough(PatientClock clock, long wallNow) {
    if (clock.maxTime() == PatientClock.NONE) {
      return PatientClock.NONE;
    }
    return clock.maxTime() + Math.max(0, wallNow - clock.lastSeenWall()) - config.graceMs();
  }

  /**
   * Event time through which the windows of silent patients close, from the partition's stream
   * time; {@link PatientClock#NONE} before the partition has a stream time. The windows waiting for
   * the wall clock ({@link #closableByWallThrough}) are looked for up to here too.
   */
  long idleThrough(long streamTime) {
    return streamTime < 0 ? PatientClock.NONE : streamTime - config.graceMs();
  }

  /** True when the patient sent nothing for the idle timeout (wall clock). */
  boolean idle(PatientClock clock, long wallNow) {
    return wallNow - clock.lastSeenWall() >= config.idleTimeout().toMillis();
  }

  /** Where the patient's data is, for {@link #close}. */
  @FunctionalInterface
  interface Data {
    /**
     * Start of the first bucket holding readings at or after {@code from}, or null when none does.
     * Any start of a bucket with data in {@code [from, windowEnd)} serves, as only whether the
     * window has data matters there.
     */
    Long firstBucketFrom(long from);
  }

  /** The clock after closing, and the ends of the windows it closed (due now), oldest first. */
  record Closing(PatientClock clock, List<Long> closedEnds) {}

  /**
   * Closes every window of the patient that ends at or before {@code through} and has data; windows
   * without any reading (gaps) are skipped, not queued.
   */
  Closing close(PatientClock clock, long through, Data data) {
    List<Long> closed = new ArrayList<>(1);
    while (clock.nextEnd() != PatientClock.NONE && clock.nextEnd() <= through) {
      long end = clock.nextEnd();
      Long firstBucket = data.firstBucketFrom(config.windowStart(end));
      if (firstBucket == null) {
        clock = clock.withNextEnd(PatientClock.NONE);
      } else if (firstBucket < end) {
        closed.add(end);
        clock = clock.closing(end, end + config.cadenceMs());
      } else {
        // A gap with no readings: skip to the first window holding the next bucket.
        clock = clock.withNextEnd(firstBucket + config.cadenceMs());
      }
    }
    return new Closing(clock, closed);
  }
}
