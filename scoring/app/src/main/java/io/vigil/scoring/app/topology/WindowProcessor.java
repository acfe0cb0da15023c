package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The adapter between the scoring rules and the topology's stores: reads a patient's rows, asks the
 * rules, writes the rows back and forwards scores and dead letters. Each rule lives in its own
 * part, testable without a driver:
 *
 * <ul>
 *   <li>{@link ReadingDedupe}: a reading is identified by (source, reading id), kept in its bucket
 *       row;
 *   <li>{@link HourRows}: readings join their cadence bucket, buckets join their hour slot;
 *   <li>{@link WindowClock} over {@link PatientClock}: on time, late or too late; which windows the
 *       clock closes (queued in the due store) and which closed windows a late reading revises
 *       ({@link DueEntry});
 *   <li>{@link DueBatches}: first scores before revisions, oldest first, in batches of the
 *       configured size, one DL4J call each ({@link WindowScorer});
 *   <li>{@link ScoreRetention}: which served scores and bucket rows go after a window is scored,
 *       and how a revision supersedes the stored score.
 * </ul>
 *
 * <p>Scoring a window merges the buckets it closed into the patient's {@link WindowHistory} (hour
 * slots of the window so far), so a window is assembled from one history row and normally one
 * bucket row instead of a range scan of W hours of buckets. A revision is assembled from its bucket
 * rows. Bucket rows are deleted at the end of a drain, after its revisions: the rows a revision
 * needs were kept for the clock of the previous drain, which was no later than the clock that
 * queued the revision.
 *
 * <p>Each patient's windows end at multiples of the cadence plus the patient's phase ({@link
 * ScoringConfig#phaseMs}, kept in the {@link PatientClock}). The patient's state is kept in the
 * patient's own time (event time minus the phase); the keys shared across patients (pending and due
 * windows) and those the risk API reads (scores, revisions) are in event time.
 *
 * <p>All state lives in changelogged key-value stores (never windowed stores, whose changelogs are
 * deleted by time and would lose the old event times of replays), so with exactly_once_v2 a crash
 * neither loses nor repeats a window.
 */
final class WindowProcessor implements Processor<PatientKey, VitalObservation, Object, Object> {
  private static final byte[] EMPTY = new byte[0];
  private static final java.time.Duration EXPIRY_CHECK = java.time.Duration.ofHours(1);
  private static final int POINT_STEPS = 4;

  private final ScoringConfig config;
  private final ScoringMetrics metrics;
  private final Supplier<WindowScorer> scorers;
  private final WindowAssembler assembler;
  private final ReadingDedupe dedupe = new ReadingDedupe();
  private final WindowClock windowClock;
  private final ScoreRetention retention;
  private final Serializer<RiskScore> scoreSerializer =
      Topics.RISK_SCORES.valueSerde().serializer();
  private final Deserializer<RiskScore> scoreDeserializer =
      Topics.RISK_SCORES.valueSerde().deserializer();

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Bytes, byte[]> buckets;
  private KeyValueStore<Bytes, byte[]> histories;
  private KeyValueStore<Bytes, byte[]> clocks;
  private KeyValueStore<Bytes, byte[]> pending;
  private KeyValueStore<Bytes, byte[]> due;
  private KeyValueStore<Bytes, byte[]> scores;
  private KeyValueStore<Bytes, byte[]> revisions;
  private KeyValueStore<Bytes, byte[]> contexts;
  private long dueCount;
  private final TimeFloor pendingFloor = new TimeFloor();
  private final TimeFloor dueFloor = new TimeFloor();
  private final List<ScoreRetention.ScoreExpiry> expiries = new ArrayList<>();
  private final java.util.Map<Bytes, Long> mergedThisDrain = new java.util.HashMap<>();
  // Clocks and histories decoded since the last drain, kept decoded until it ends: a reading
  // that closes a window reads the patient's clock and history, and scoring the window reads
  // them again. Every write of these two stores goes through here, so they never disagree.
  private final java.util.Map<Bytes, PatientClock> openClocks = new java.util.HashMap<>();
  private final java.util.Map<Bytes, WindowHistory> openHistories = new java.util.HashMap<>();

  WindowProcessor(ScoringConfig config, ScoringMetrics metrics, Supplier<WindowScorer> scorers) {
    this.config = config;
    this.metrics = metrics;
    this.scorers = scorers;
    this.assembler = new WindowAssembler(config.windowHours());
    this.windowClock = new WindowClock(config);
    this.retention = new ScoreRetention(config);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    buckets = context.getStateStore(ScoringTopology.BUCKETS_STORE);
    histories = context.getStateStore(ScoringTopology.HISTORY_STORE);
    clocks = context.getStateStore(ScoringTopology.CLOCKS_STORE);
    pending = context.getStateStore(ScoringTopology.PENDING_STORE);
    due = context.getStateStore(ScoringTopology.DUE_STORE);
    scores = context.getStateStore(ScoringTopology.SCORES_STORE);
    revisions = context.getStateStore(ScoringTopology.REVISIONS_STORE);
    contexts = context.getStateStore(ScoringTopology.CONTEXT_STORE);
    forgetOpenRows();
    pendingFloor.reset();
    dueFloor.reset();
    dueCount = 0;
    try (KeyValueIterator<Bytes, byte[]> it = due.all()) {
      while (it.hasNext()) {
        it.next();
        dueCount++;
      }
    }
    context.schedule(config.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    context.schedule(EXPIRY_CHECK, PunctuationType.WALL_CLOCK_TIME, this::expirePatients);
  }

  /**
   * Deletes the state of every patient whose last reading arrived more than the patient expiry ago
   * (wall clock): bucket rows, history, clock and schedule, served scores and their revisions.
   * Windows still due are scored first. The patient context stays: it mirrors the compacted {@code
   * patients.context}, where the platform deletes a patient with a tombstone. A patient who sends
   * again afterwards starts a new clock.
   */
  private void expirePatients(long wallNow) {
    drain();
    long before = wallNow - config.patientExpiry().toMillis();
    List<KeyValue<Bytes, byte[]>> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = clocks.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        if (PatientClock.decode(entry.value).lastSeenWall() < before) {
          expired.add(entry);
        }
      }
    }
    for (KeyValue<Bytes, byte[]> entry : expired) {
      byte[] patient = entry.key.get();
      PatientClock clock = PatientClock.decode(entry.value);
      if (clock.nextEnd() != PatientClock.NONE) {
        pending.delete(StateKeys.timePatient(clock.event(clock.nextEnd()), patient));
      }
      deleteRange(buckets, patient, Long.MIN_VALUE, Long.MAX_VALUE);
      deleteRange(scores, patient, Long.MIN_VALUE, Long.MAX_VALUE);
      deleteRange(revisions, patient, Long.MIN_VALUE, Long.MAX_VALUE);
      histories.delete(entry.key);
      clocks.delete(entry.key);
      metrics.patientExpired();
    }
    forgetOpenRows();
  }

  @Override
  public void process(Record<PatientKey, VitalObservation> record) {
    try {
      processReading(record);
    } catch (RuntimeException e) {
      // The record is dead-lettered and the stream goes on: a kept row may have been changed
      // without being written, so every kept row is read from the stores again.
      forgetOpenRows();
      throw e;
    }
  }

  private void processReading(Record<PatientKey, VitalObservation> record) {
    VitalObservation reading = record.value();
    byte[] patient = StateKeys.patient(record.key());
    PatientClock storedClock = clock(Bytes.wrap(patient));
    PatientClock clock =
        storedClock == null ? PatientClock.starting(config.phaseMs(record.key())) : storedClock;
    // From here on in the patient's own time (see PatientClock).
    WindowClock.Arrival arrival =
        windowClock.arrive(clock, clock.own(reading.getTime().toEpochMilli()));
    String tenant = record.key().getTenant();
    if (arrival.kind() == WindowClock.Kind.TOO_LATE) {
      metrics.lateReading(tenant, false);
      reject(
          record,
          RejectionReason.TOO_LATE,
          "reading at "
              + reading.getTime()
              + " is "
              + java.time.Duration.ofMillis(clock.maxTime() - arrival.time())
              + " behind the patient's latest reading at "
              + Instant.ofEpochMilli(clock.event(clock.maxTime()))
              + ", beyond the allowed lateness of "
              + config.allowedLateness());
      return;
    }
    Bytes bucketKey = StateKeys.patientTime(patient, arrival.bucket());
    BucketRow row = BucketRow.decode(buckets.get(bucketKey));
    if (!ReadingDedupe.admit(row, dedupe.hash(reading))) {
      reject(
          record,
          RejectionReason.DUPLICATE,
          "reading "
              + reading.getReadingId()
              + " from source "
              + reading.getSourceId()
              + " was already counted");
      return;
    }
    Vital vital = Vital.of(reading.getVital());
    HourSummary one = HourSummary.of(reading.getValue(), arrival.time());
    HourRows.add(row.summaries(), vital.ordinal(), one);
    buckets.put(bucketKey, row.encode());

    long wallNow = context.currentSystemTimeMs();
    if (arrival.kind() == WindowClock.Kind.LATE) {
      metrics.lateReading(tenant, true);
      Bytes historyKey = Bytes.wrap(patient);
      WindowHistory history = history(historyKey);
      if (history.mergedThrough() != WindowHistory.NONE
          && arrival.time() < history.mergedThrough()) {
        history.mergeLate(config, arrival.time(), vital.ordinal(), one);
        putHistory(historyKey, history);
      }
      for (long end : windowClock.revisedEnds(clock, arrival)) {
        Bytes key = StateKeys.timePatient(clock.event(end), patient);
        DueEntry waiting = DueEntry.decode(due.get(key));
        putDue(key, WindowClock.queueLate(waiting, wallNow, vital));
        dueCount += waiting == null ? 1 : 0;
      }
    }
    PatientClock accepted = windowClock.accept(clock, arrival, wallNow);
    dropReadingHashes(patient, clock.maxTime(), accepted.maxTime());
    saveClock(
        patient, clock, closeThrough(patient, accepted, windowClock.closableThrough(accepted)));
    if (dueCount >= config.batchSize()) {
      drain();
    }
  }

  /**
   * Drops the reading hashes of the buckets the patient's latest time has just moved the allowed
   * lateness past ({@link ReadingDedupe#hashesFrom}); their summaries stay for revisions. Point
   * lookups for the cadence step or few the latest time normally moves, a range scan after a jump.
   */
  private void dropReadingHashes(byte[] patient, long maxBefore, long maxAfter) {
    if (maxBefore == PatientClock.NONE || maxAfter <= maxBefore) {
      return;
    }
    long from = ReadingDedupe.hashesFrom(config, maxBefore);
    long to = ReadingDedupe.hashesFrom(config, maxAfter);
    if (to <= from) {
      return;
    }
    List<Long> starts = new ArrayList<>();
    if (to - from <= POINT_STEPS * config.cadenceMs()) {
      for (long bucket = from; bucket < to; bucket += config.cadenceMs()) {
        starts.add(bucket);
      }
    } else {
      try (KeyValueIterator<Bytes, byte[]> it =
          buckets.range(
              StateKeys.patientTime(patient, from), StateKeys.patientTime(patient, to - 1))) {
        while (it.hasNext()) {
          starts.add(StateKeys.timeAfterPatient(it.next().key, patient.length));
        }
      }
    }
    for (long bucket : starts) {
      Bytes key = StateKeys.patientTime(patient, bucket);
      byte[] stored = buckets.get(key);
      if (stored != null) {
        BucketRow row = BucketRow.decode(stored);
        if (row.hasHashes()) {
          row.dropHashes();
          buckets.put(key, row.encode());
        }
      }
    }
  }

  private void punctuate(long wallNow) {
    closeWaitingWindows(wallNow);
    drain();
  }

  /**
   * Closes the pending windows whose end plus grace the partition's stream time has passed, of the
   * patients the wall clock lets close ({@link WindowClock#closableByWallThrough}) and of those
   * that went silent for the idle timeout, all of whose windows through the stream time close.
   * Pending windows are keyed by their end in event time, so one range finds them whatever the
   * patients' phases, and a live patient's window leaves the range at the first punctuation after
   * it is due. The range starts at the {@link TimeFloor}: below it lie only served keys.
   */
  private void closeWaitingWindows(long wallNow) {
    long through = windowClock.idleThrough(context.currentStreamTimeMs());
    if (through == PatientClock.NONE) {
      return;
    }
    if (through < pendingFloor.time()) {
      return;
    }
    List<Bytes> candidates = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        pending.range(pendingFloor.firstKey(), StateKeys.timePatient(through + 1, new byte[0]))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        if (StateKeys.leadingTime(entry.key) <= through) {
          candidates.add(entry.key);
        }
      }
    }
    // Every live key through `through` is a candidate: those that stay, and the keys the
    // closings write, lower the floor again.
    pendingFloor.raise(through + 1);
    for (Bytes candidate : candidates) {
      byte[] patient = StateKeys.trailingPatient(candidate);
      PatientClock stored = clock(Bytes.wrap(patient));
      PatientClock clock = stored == null ? PatientClock.EMPTY : stored;
      long closable =
          windowClock.idle(clock, wallNow)
              ? clock.own(through)
              : Math.min(clock.own(through), windowClock.closableByWallThrough(clock, wallNow));
      if (clock.nextEnd() != PatientClock.NONE && clock.nextEnd() <= closable) {
        saveClock(patient, clock, closeThrough(patient, clock, closable));
      } else {
        pendingFloor.lower(StateKeys.leadingTime(candidate));
      }
    }
  }

  /**
   * Closes every window of the patient that ends at or before {@code through} (the patient's own
   * time) and has data, and queues it in the due store.
   */
  private PatientClock closeThrough(byte[] patient, PatientClock clock, long through) {
    WindowHistory[] history = new WindowHistory[1];
    WindowClock.Closing closing =
        windowClock.close(
            clock,
            through,
            from -> {
              if (history[0] == null) {
                history[0] = history(Bytes.wrap(patient));
              }
              // Merged hours all lie before the last scored window's end, so before this
              // one's: if one is inside this window, the window has data; otherwise only
              // unmerged buckets can tell.
              return history[0].hasDataFrom(from)
                  ? Long.valueOf(from)
                  : firstBucketFrom(patient, from);
            });
    if (!closing.closedEnds().isEmpty()) {
      long wallNow = context.currentSystemTimeMs();
      for (long end : closing.closedEnds()) {
        // Revisions are only ever queued for windows at or before closedThrough, so no entry
        // waits for this one yet.
        putDue(StateKeys.timePatient(clock.event(end), patient), DueEntry.closed(wallNow));
        dueCount++;
      }
    }
    return closing.clock();
  }

  /** Queues a due window ({@code end | patient}), keeping the due scan's floor below it. */
  private void putDue(Bytes key, DueEntry entry) {
    dueFloor.lower(StateKeys.leadingTime(key));
    due.put(key, entry.encode());
  }

  private Long firstBucketFrom(byte[] patient, long from) {
    try (KeyValueIterator<Bytes, byte[]> it =
        buckets.range(
            StateKeys.patientTime(patient, from), StateKeys.patientTime(patient, Long.MAX_VALUE))) {
      return it.hasNext() ? StateKeys.timeAfterPatient(it.next().key, patient.length) : null;
    }
  }

  private void saveClock(byte[] patient, PatientClock before, PatientClock after) {
    if (before.nextEnd() != after.nextEnd()) {
      if (before.nextEnd() != PatientClock.NONE) {
        pending.delete(StateKeys.timePatient(before.event(before.nextEnd()), patient));
      }
      if (after.nextEnd() != PatientClock.NONE) {
        pendingFloor.lower(after.event(after.nextEnd()));
        pending.put(StateKeys.timePatient(after.event(after.nextEnd()), patient), EMPTY);
      }
    }
    putClock(Bytes.wrap(patient), after);
  }

  /** The patient's stored clock, null when none. */
  private PatientClock clock(Bytes patientKey) {
    PatientClock clock = openClocks.get(patientKey);
    if (clock == null) {
      byte[] stored = clocks.get(patientKey);
      if (stored == null) {
        return null;
      }
      clock = PatientClock.decode(stored);
      openClocks.put(patientKey, clock);
    }
    return clock;
  }

  private void putClock(Bytes patientKey, PatientClock clock) {
    clocks.put(patientKey, clock.encode());
    openClocks.put(patientKey, clock);
  }

  /** The patient's history (empty when none is stored); changes must be written with putHistory. */
  private WindowHistory history(Bytes patientKey) {
    WindowHistory history = openHistories.get(patientKey);
    if (history == null) {
      history = WindowHistory.decode(histories.get(patientKey));
      openHistories.put(patientKey, history);
    }
    return history;
  }

  private void putHistory(Bytes patientKey, WindowHistory history) {
    histories.put(patientKey, history.encode());
    openHistories.put(patientKey, history);
  }

  private void forgetOpenRows() {
    openClocks.clear();
    openHistories.clear();
  }

  /**
   * Scores every due window, in the batches of {@link DueBatches} (the due store is keyed by window
   * end in event time, and every entry in it is due already). The scan starts at the {@link
   * TimeFloor}; a drain that ends empties the store.
   */
  private void drain() {
    if (dueCount == 0) {
      forgetOpenRows();
      metrics.dueWindows(0);
      return;
    }
    // Bucket rows merged by this drain are deleted after it, so the revisions still find theirs.
    List<KeyValue<Bytes, DueEntry>> waiting = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = due.range(dueFloor.firstKey(), null)) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> stored = it.next();
        waiting.add(KeyValue.pair(stored.key, DueEntry.decode(stored.value)));
      }
    }
    WindowScorer scorer = scorers.get();
    for (List<KeyValue<Bytes, DueEntry>> chunk : DueBatches.plan(waiting, config.batchSize())) {
      List<WindowScorer.Due> batch = new ArrayList<>(chunk.size());
      expiries.clear();
      for (KeyValue<Bytes, DueEntry> entry : chunk) {
        byte[] patient = StateKeys.trailingPatient(entry.key);
        long phase = phase(patient);
        long end = StateKeys.leadingTime(entry.key) - phase;
        if (entry.value.revision()) {
          batch.add(assembleFromBuckets(patient, end, phase));
          expiries.add(null);
        } else {
          batch.add(assemble(patient, end, phase));
        }
      }
      long now = context.currentSystemTimeMs();
      List<RiskScore> results = scorer.score(batch, now);
      for (int i = 0; i < batch.size(); i++) {
        DueEntry entry = chunk.get(i).value;
        emit(batch.get(i), results.get(i), entry, expiries.get(i));
        due.delete(chunk.get(i).key);
        metrics.emitLag(now - entry.dueSinceWall());
      }
      metrics.scored(batch.size());
    }
    mergedThisDrain.forEach(this::evictBuckets);
    mergedThisDrain.clear();
    forgetOpenRows();
    dueCount = 0;
    dueFloor.raise(Long.MAX_VALUE);
    metrics.dueWindows(0);
  }

  /** The patient's window phase, kept in its clock; the configured one before it has a clock. */
  private long phase(byte[] patient) {
    PatientClock clock = clock(Bytes.wrap(patient));
    return clock == null ? config.phaseMs(StateKeys.parsePatient(patient, 0)) : clock.phase();
  }

  /**
   * Assembles the window ending at {@code windowEnd} (the patient's own time): merges the buckets
   * it closed into the patient's history (windows of one patient are scored oldest first, so these
   * are the buckets from the last scored window's end, normally exactly one), builds the window
   * from the history, then drops the hours the next window no longer holds. The history row is
   * written back at once, so a later window of the same patient in the same batch sees it.
   */
  private WindowScorer.Due assemble(byte[] patient, long windowEnd, long phase) {
    Bytes historyKey = Bytes.wrap(patient);
    WindowHistory history = history(historyKey);
    if (history.mergedThrough() != WindowHistory.NONE && history.mergedThrough() > windowEnd) {
      throw new IllegalStateException(
          "window ending "
              + Instant.ofEpochMilli(windowEnd)
              + " is scored after a later one ("
              + Instant.ofEpochMilli(history.mergedThrough())
              + ")");
    }
    long start = config.windowStart(windowEnd);
    for (long bucket = Math.max(history.mergedThrough(), start);
        bucket < windowEnd;
        bucket += config.cadenceMs()) {
      Bytes bucketKey = StateKeys.patientTime(patient, bucket);
      byte[] stored = buckets.get(bucketKey);
      if (stored != null) {
        history.merge(bucket, BucketRow.decode(stored).summaries());
      }
    }
    history.mergedThrough(windowEnd);
    expiries.add(retention.expiry(history, windowEnd, phase));
    mergedThisDrain.put(Bytes.wrap(patient), windowEnd);
    PatientContext ctx = context(patient);
    var window = assemble(windowEnd, history.hours(), ctx, phase);
    history.evictBefore(config.windowStart(windowEnd + config.cadenceMs()));
    putHistory(historyKey, history);
    return new WindowScorer.Due(
        StateKeys.parsePatient(patient, 0), windowEnd + phase, window, ctx, phase);
  }

  /**
   * Assembles a window that closed before from its bucket rows (kept for the allowed lateness), for
   * a revision; the patient's history is left as it is.
   */
  private WindowScorer.Due assembleFromBuckets(byte[] patient, long windowEnd, long phase) {
    TreeMap<Long, HourSummary[]> hours = new TreeMap<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        buckets.range(
            StateKeys.patientTime(patient, config.windowStart(windowEnd)),
            StateKeys.patientTime(patient, windowEnd - 1))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        long bucket = StateKeys.timeAfterPatient(entry.key, patient.length);
        HourRows.mergeInto(hours, bucket, BucketRow.decode(entry.value).summaries());
      }
    }
    PatientContext ctx = context(patient);
    return new WindowScorer.Due(
        StateKeys.parsePatient(patient, 0),
        windowEnd + phase,
        assemble(windowEnd, hours, ctx, phase),
        ctx,
        phase);
  }

  private PatientContext context(byte[] patient) {
    byte[] contextBytes = contexts.get(Bytes.wrap(patient));
    return contextBytes == null
        ? null
        : Topics.PATIENTS_CONTEXT.valueSerde().deserializer().deserialize(null, contextBytes);
  }

  /**
   * The window in the patient's own time: its end, its hours and the reading times in them, and the
   * monitoring start, all shifted by the phase, so the features (which only use differences of
   * these times) are those of the same readings at phase 0.
   */
  private PatientWindow assemble(
      long windowEnd, java.util.Map<Long, HourSummary[]> hours, PatientContext ctx, long phase) {
    return assembler.assemble(
        Instant.ofEpochMilli(windowEnd),
        hours,
        ctx == null || ctx.getAge() == null ? null : ctx.getAge().doubleValue(),
        ctx == null ? null : ctx.getSex(),
        ctx == null || ctx.getMonitoringStart() == null
            ? null
            : ctx.getMonitoringStart().minusMillis(phase));
  }

  /**
   * Deletes the patient's bucket rows that are merged into the history and that no reading within
   * the allowed lateness of its latest one can fall into: point deletes for the few cadence steps
   * the clock normally moves between windows, a range sweep the first time and after a jump.
   */
  private void evictBuckets(Bytes patientKey, long mergedThrough) {
    byte[] patient = patientKey.get();
    PatientClock stored = clock(patientKey);
    PatientClock clock = stored == null ? PatientClock.EMPTY : stored;
    ScoreRetention.BucketEviction eviction = retention.bucketEviction(clock, mergedThrough);
    if (eviction == null) {
      return;
    }
    if (eviction.sweep()) {
      deleteRange(buckets, patient, Long.MIN_VALUE, eviction.keepFrom() - 1);
    } else {
      for (long bucket : eviction.pointBuckets(config.cadenceMs())) {
        buckets.delete(StateKeys.patientTime(patient, bucket));
      }
    }
    putClock(patientKey, clock.withBucketsFrom(eviction.keepFrom()));
  }

  private void emit(
      WindowScorer.Due scored, RiskScore score, DueEntry entry, ScoreRetention.ScoreExpiry expiry) {
    byte[] patient = StateKeys.patient(scored.patient());
    long end = scored.windowEnd();
    if (ScoreRetention.revises(entry)) {
      byte[] stored = scores.get(StateKeys.patientTime(patient, end));
      RiskScore previous = stored == null ? null : scoreDeserializer.deserialize(null, stored);
      ScoreRetention.revise(score, entry, previous);
      if (previous != null) {
        revisions.put(StateKeys.patientTimeHash(patient, end, previous.getRevision()), stored);
        metrics.revised(scored.patient().getTenant());
      }
    }
    byte[] encoded = scoreSerializer.serialize(null, score);
    context.forward(
        new Record<Object, Object>(scored.patient(), encoded, end), ScoringTopology.SCORES_SINK);
    scores.put(StateKeys.patientTime(patient, end), encoded);
    expire(patient, expiry);
  }

  private void expire(byte[] patient, ScoreRetention.ScoreExpiry expiry) {
    if (expiry == null) {
      return;
    }
    if (expiry.sweep()) {
      deleteRange(scores, patient, Long.MIN_VALUE, expiry.sweepBeforeEvent() - 1);
      deleteRange(revisions, patient, Long.MIN_VALUE, expiry.sweepBeforeEvent() - 1);
      return;
    }
    for (long end : expiry.pointEnds(config.cadenceMs())) {
      Bytes key = StateKeys.patientTime(patient, end);
      if (scores.get(key) != null) {
        scores.delete(key);
      }
    }
  }

  private static void deleteRange(
      KeyValueStore<Bytes, byte[]> store, byte[] patient, long from, long through) {
    List<Bytes> doomed = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(
            StateKeys.patientTime(patient, from),
            StateKeys.patientTimeHash(patient, through, -1L))) {
      while (it.hasNext()) {
        doomed.add(it.next().key);
      }
    }
    for (Bytes key : doomed) {
      store.delete(key);
    }
  }

  private void reject(
      Record<PatientKey, VitalObservation> record, RejectionReason reason, String detail) {
    metrics.rejected(reason);
    RecordMetadata source = context.recordMetadata().orElse(null);
    context.forward(
        new Record<Object, Object>(
            record.key(),
            Rejections.of(
                source,
                Topics.PATIENT_KEY.encode(record.key()),
                Topics.VITALS_OBSERVATIONS
                    .valueSerde()
                    .serializer()
                    .serialize(null, record.value()),
                reason,
                detail,
                record.timestamp(),
                context.currentSystemTimeMs()),
            record.timestamp()),
        ScoringTopology.REJECTED_SINK);
  }
}
