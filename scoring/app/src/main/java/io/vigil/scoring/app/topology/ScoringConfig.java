package io.vigil.scoring.app.topology;

import java.time.Duration;

/**
 * How the topology windows and scores: every knob a hospital may want to turn, with the defaults of
 * the architecture page.
 *
 * @param windowHours window length W in hours; must equal the model bundle's window
 * @param cadence window-end cadence H: a patient's windows end every H, at multiples of it plus the
 *     patient's phase (5 to 60 minutes, dividing an hour); also the granularity of the stored
 *     buckets
 * @param grace how long after a window's end readings for it are still accepted, in the patient's
 *     event time
 * @param idleTimeout wall-clock silence of a patient after which its remaining windows are closed
 *     by the partition's stream time instead of its own readings
 * @param batchSize windows per DL4J call
 * @param flushInterval wall-clock interval at which due windows are scored even if fewer than a
 *     batch are waiting
 * @param explainLevel LSTM risk from which the top contributing vitals are computed
 * @param topContributors how many contributors to report at most
 * @param scoreRetention how long scores stay queryable, counted back from the patient's latest
 *     scored window (event time)
 * @param inferenceThreads native threads (OpenBLAS and OpenMP) one DL4J call may use; 1 by default,
 *     as the network's matrices are small enough that more threads mostly wait for each other and
 *     for the cores other threads hold (scale with stream threads instead); see {@link
 *     InferenceThreads}
 * @param allowedLateness how far behind the patient's latest reading (event time) a reading may be
 *     and still count: readings whose window already closed are merged into their bucket and the
 *     windows they fall in are scored again as revisions; older ones are rejected as {@code
 *     TOO_LATE}. Buckets are kept this long (plus one window) after their window is scored.
 * @param patientExpiry wall-clock time after a patient's last reading after which all of the
 *     patient's scoring state (buckets, history, clock, served scores and revisions) is deleted;
 *     the patient context stays until the platform deletes it
 * @param windowPhase where each patient's window ends fall within the cadence: {@link
 *     WindowPhase#PATIENT} (default) shifts them by a per-patient phase so that due windows spread
 *     over the cadence, {@link WindowPhase#ALIGNED} ends every patient's windows on multiples of
 *     the cadence. The time methods below ({@link #bucketStart}, {@link #windowStart}, ...) work in
 *     a patient's own time, its event time minus its phase.
 */
public record ScoringConfig(
    int windowHours,
    Duration cadence,
    Duration grace,
    Duration idleTimeout,
    int batchSize,
    Duration flushInterval,
    double explainLevel,
    int topContributors,
    Duration scoreRetention,
    int inferenceThreads,
    Duration allowedLateness,
    Duration patientExpiry,
    WindowPhase windowPhase) {

  /** The default allowed lateness: a day, for store-and-forward devices that sync after a gap. */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofHours(24);

  /** The default patient expiry: 30 days without a reading. */
  public static final Duration DEFAULT_PATIENT_EXPIRY = Duration.ofDays(30);

  public static final long HOUR_MS = Duration.ofHours(1).toMillis();

  public ScoringConfig {
    if (windowHours < 1 || windowHours > 72) {
      throw new IllegalArgumentException("windowHours must be 1 to 72, got " + windowHours);
    }
    long minutes = cadence.toMinutes();
    if (cadence.toMillis() != minutes * 60_000L
        || minutes < 5
        || minutes > 60
        || 60 % minutes != 0) {
      throw new IllegalArgumentException(
          "cadence must be a whole number of minutes from 5 to 60 that divides an hour, got "
              + cadence);
    }
    if (grace.isNegative() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException("grace and idleTimeout must not be negative");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (flushInterval.toMillis() < 1) {
      throw new IllegalArgumentException("flushInterval must be at least 1 ms");
    }
    if (!(explainLevel >= 0 && explainLevel <= 1)) {
      throw new IllegalArgumentException("explainLevel must be 0 to 1, got " + explainLevel);
    }
    if (topContributors < 0) {
      throw new IllegalArgumentException("topContributors must not be negative");
    }
    if (scoreRetention.compareTo(Duration.ofHours(windowHours)) < 0) {
      throw new IllegalArgumentException("scoreRetention must be at least one window");
    }
    if (inferenceThreads < 1) {
      throw new IllegalArgumentException(
          "inferenceThreads must be at least 1, got " + inferenceThreads);
    }
    if (allowedLateness.compareTo(grace) < 0) {
      throw new IllegalArgumentException(
          "allowedLateness must be at least the grace (" + grace + "), got " + allowedLateness);
    }
    if (scoreRetention.compareTo(allowedLateness.plusHours(windowHours)) < 0) {
      throw new IllegalArgumentException(
          "scoreRetention must be at least the allowed lateness plus one window (revisions number"
              + " themselves from the stored score), got "
              + scoreRetention);
    }
    if (patientExpiry.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "patientExpiry must be at least an hour, got " + patientExpiry);
    }
    if (windowPhase == null) {
      throw new IllegalArgumentException("windowPhase must be set");
    }
  }

  /**
   * W = 12 h, H = 60 min, grace 5 min, idle 10 min, batches of 512, explain from 0.3, 14 days, one
   * inference thread, 24 h allowed lateness, state expiry 30 days after a patient's last reading.
   */
  public static ScoringConfig defaults() {
    return new ScoringConfig(
        12,
        Duration.ofMinutes(60),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        512,
        Duration.ofMillis(500),
        0.3,
        3,
        Duration.ofDays(14),
        1,
        DEFAULT_ALLOWED_LATENESS,
        DEFAULT_PATIENT_EXPIRY,
        WindowPhase.PATIENT);
  }

  /**
   * A builder holding this configuration's values, to change several of them at once; each {@code
   * with...} method below is this configuration with one value changed.
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public ScoringConfig withWindowHours(int value) {
    return toBuilder().windowHours(value).build();
  }

  public ScoringConfig withCadence(Duration value) {
    return toBuilder().cadence(value).build();
  }

  public ScoringConfig withGrace(Duration value) {
    return toBuilder().grace(value).build();
  }

  public ScoringConfig withIdleTimeout(Duration value) {
    return toBuilder().idleTimeout(value).build();
  }

  public ScoringConfig withBatchSize(int value) {
    return toBuilder().batchSize(value).build();
  }

  public ScoringConfig withExplainLevel(double value) {
    return toBuilder().explainLevel(value).build();
  }

  public ScoringConfig withScoreRetention(Duration value) {
    return toBuilder().scoreRetention(value).build();
  }

  public ScoringConfig withInferenceThreads(int value) {
    return toBuilder().inferenceThreads(value).build();
  }

  public ScoringConfig withAllowedLateness(Duration value) {
    return toBuilder().allowedLateness(value).build();
  }

  public ScoringConfig withPatientExpiry(Duration value) {
    return toBuilder().patientExpiry(value).build();
  }

  public ScoringConfig withWindowPhase(WindowPhase value) {
    return toBuilder().windowPhase(value).build();
  }

  /**
   * The phase of a patient's window ends: the patient's windows end at {@code k * cadence + phase}.
   * 0 with {@link WindowPhase#ALIGNED}; with {@link WindowPhase#PATIENT} a whole number of seconds
   * in {@code [0, cadence)}, a fixed function of the tenant and patient id (see {@link
   * WindowPhase#offsetSeconds}), so the patients' windows come due evenly spread over the cadence.
   */
  public long phaseMs(io.vigil.schemas.common.PatientKey patient) {
    return windowPhase == WindowPhase.ALIGNED
        ? 0
        : WindowPhase.offsetSeconds(StateKeys.patient(patient), cadence.toSeconds()) * 1000L;
  }

  public long cadenceMs() {
    return cadence.toMillis();
  }

  public long graceMs() {
    return grace.toMillis();
  }

  /** Start of the cadence bucket holding {@code timeMs}. */
  public long bucketStart(long timeMs) {
    return Math.floorDiv(timeMs, cadenceMs()) * cadenceMs();
  }

  /** End of the first window that contains a reading at {@code timeMs} (ends are exclusive). */
  public long firstWindowEnd(long timeMs) {
    return bucketStart(timeMs) + cadenceMs();
  }

  public long allowedLatenessMs() {
    return allowedLateness.toMillis();
  }

  /** End of the last window that contains a reading at {@code timeMs}. */
  public long lastWindowEnd(long timeMs) {
    return Math.floorDiv(timeMs, HOUR_MS) * HOUR_MS + windowHours * HOUR_MS;
  }

  /**
   * Start of the oldest bucket a reading at or after {@code latestTime} minus the allowed lateness
   * can still need: the start of the first window that holds such a reading.
   */
  public long retainedFrom(long latestTime) {
    return windowStart(firstWindowEnd(latestTime - allowedLatenessMs()));
  }

  /**
   * Inclusive start of the window ending at {@code windowEnd}: W clock hours, the last of which is
   * the hour holding {@code windowEnd - 1 ms} (partial when the cadence is below an hour).
   */
  public long windowStart(long windowEnd) {
    long lastHour = Math.floorDiv(windowEnd - 1, HOUR_MS) * HOUR_MS;
    return lastHour - (windowHours - 1L) * HOUR_MS;
  }

  /**
   * A configuration being changed: starts from one configuration's values and checks the result
   * once, in {@link #build()}, so knobs that bound each other (grace, allowed lateness, score
   * retention) can change together in any order.
   */
  public static final class Builder {
    private int windowHours;
    private Duration cadence;
    private Duration grace;
    private Duration idleTimeout;
    private int batchSize;
    private Duration flushInterval;
    private double explainLevel;
    private int topContributors;
    private Duration scoreRetention;
    private int inferenceThreads;
    private Duration allowedLateness;
    private Duration patientExpiry;
    private WindowPhase windowPhase;

    private Builder(ScoringConfig from) {
      windowHours = from.windowHours;
      cadence = from.cadence;
      grace = from.grace;
      idleTimeout = from.idleTimeout;
      batchSize = from.batchSize;
      flushInterval = from.flushInterval;
      explainLevel = from.explainLevel;
      topContributors = from.topContributors;
      scoreRetention = from.scoreRetention;
      inferenceThreads = from.inferenceThreads;
      allowedLateness = from.allowedLateness;
      patientExpiry = from.patientExpiry;
      windowPhase = from.windowPhase;
    }

    public Builder windowHours(int value) {
      windowHours = value;
      return this;
    }

    public Builder cadence(Duration value) {
      cadence = value;
      return this;
    }

    public Builder grace(Duration value) {
      grace = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder explainLevel(double value) {
      explainLevel = value;
      return this;
    }

    public Builder scoreRetention(Duration value) {
      scoreRetention = value;
      return this;
    }

    public Builder inferenceThreads(int value) {
      inferenceThreads = value;
      return this;
    }

    public Builder allowedLateness(Duration value) {
      allowedLateness = value;
      return this;
    }

    public Builder patientExpiry(Duration value) {
      patientExpiry = value;
      return this;
    }

    public Builder windowPhase(WindowPhase value) {
      windowPhase = value;
      return this;
    }

    /**
     * The configuration, checked as a whole.
     *
     * @throws IllegalArgumentException naming the first value out of its bounds
     */
    public ScoringConfig build() {
      return new ScoringConfig(
          windowHours,
          cadence,
          grace,
          idleTimeout,
          batchSize,
          flushInterval,
          explainLevel,
          topContributors,
          scoreRetention,
          inferenceThreads,
          allowedLateness,
          patientExpiry,
          windowPhase);
    }
  }
}
