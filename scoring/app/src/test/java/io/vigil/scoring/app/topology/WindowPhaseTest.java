package io.vigil.scoring.app.topology;

import static io.vigil.scoring.app.topology.ScoringDriver.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.scoring.app.ConfigContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-patient window phases: each patient's windows end at multiples of the cadence plus the
 * patient's phase, so that the patients' windows come due spread over the cadence instead of all at
 * once.
 */
class WindowPhaseTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final ScoringConfig CONFIG =
      ScoringDriver.smallConfig().withWindowPhase(WindowPhase.PATIENT);

  /** The first patient id (ward-a, "p" and a number) whose phase is {@code phaseMs}. */
  private static PatientKey withPhase(ScoringConfig config, long phaseMs) {
    for (int i = 0; i < 1_000_000; i++) {
      PatientKey key = ScoringDriver.patient("p" + i);
      if (config.phaseMs(key) == phaseMs) {
        return key;
      }
    }
    throw new AssertionError("no patient with phase " + phaseMs);
  }

  @Test
  void shouldGiveEachPatientAFixedPhaseInWholeSecondsBelowTheCadence() {
    PatientKey anna = ScoringDriver.patient("anna");
    long phase = CONFIG.phaseMs(anna);
    // The same key gives the same phase in another configuration object (another instance).
    assertEquals(phase, ScoringConfig.defaults().withWindowHours(3).phaseMs(anna));
    assertEquals(phase, CONFIG.phaseMs(new PatientKey("ward-a", "anna")));
    // The tenant is part of the key.
    assertNotEquals(
        List.of(
            CONFIG.phaseMs(new PatientKey("ward-b", "anna")),
            CONFIG.phaseMs(new PatientKey("ward-c", "anna")),
            CONFIG.phaseMs(new PatientKey("ward-d", "anna"))),
        List.of(phase, phase, phase));
    for (int cadence : List.of(5, 20, 60)) {
      ScoringConfig c = CONFIG.withCadence(Duration.ofMinutes(cadence));
      for (int i = 0; i < 2_000; i++) {
        long p = c.phaseMs(ScoringDriver.patient("p" + i));
        assertTrue(p >= 0 && p < cadence * 60_000L, cadence + " min: " + p);
        assertEquals(0, p % 1000, "whole seconds: " + p);
      }
    }
    // Aligned: every patient's phase is 0.
    ScoringConfig aligned = CONFIG.withWindowPhase(WindowPhase.ALIGNED);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, aligned.phaseMs(ScoringDriver.patient("p" + i)));
    }
  }

  @Test
  void shouldSpreadPhasesEvenlyOverTheCadence() {
    // 60,000 patients over an hourly cadence: about 1,000 per minute of the hour, and no second
    // of the hour holds more than a few times its share of 16.7.
    int patients = 60_000;
    int[] perMinute = new int[60];
    int[] perSecond = new int[3600];
    for (int i = 0; i < patients; i++) {
      long seconds = CONFIG.phaseMs(new PatientKey("tenant-" + (i % 7), "patient-" + i)) / 1000;
      perMinute[(int) (seconds / 60)]++;
      perSecond[(int) seconds]++;
    }
    for (int m = 0; m < 60; m++) {
      assertTrue(
          perMinute[m] > 850 && perMinute[m] < 1150,
          "minute " + m + " holds " + perMinute[m] + " of " + patients);
    }
    int fullest = 0;
    for (int s : perSecond) {
      fullest = Math.max(fullest, s);
    }
    assertTrue(fullest <= 45, "the fullest second holds " + fullest);
  }

  @Test
  void shouldRejectAnUnknownPhaseSettingWithAClearError() {
    assertEquals(WindowPhase.ALIGNED, phase(Map.of("SCORING_WINDOW_PHASE", " Aligned ")));
    assertEquals(WindowPhase.PATIENT, phase(Map.of()));
    IllegalArgumentException e = ConfigContext.refusal(Map.of("SCORING_WINDOW_PHASE", "random"));
    assertEquals("SCORING_WINDOW_PHASE must be patient or aligned, got 'random'", e.getMessage());
  }

  private static WindowPhase phase(Map<String, String> env) {
    try (ApplicationContext ctx = ConfigContext.start(env)) {
      return ctx.getBean(ScoringConfig.class).windowPhase();
    }
  }

  @Test
  void shouldKeepThePhaseAClockWasStoredWith() {
    PatientClock phased = PatientClock.starting(1_234_000).withReading(10, 20, 30);
    assertEquals(phased, PatientClock.decode(phased.encode()));
    assertEquals(1_234_000, PatientClock.decode(phased.encode()).phase());
  }

  static Stream<Long> phases() {
    // Phase 0, the last second of the hour, and one in between.
    return Stream.of(0L, 3_599_000L, 1_234_000L);
  }

  /**
   * Windows of 3 hours every hour, for a patient whose phase is p: the window ending at {@code E =
   * T0 + 3h + p} holds readings from {@code E - 3h} inclusive to {@code E} exclusive, on hours
   * shifted by p.
   */
  @ParameterizedTest(name = "phase {0} ms")
  @MethodSource("phases")
  void shouldHoldExactlyTheWindowsHoursOfReadingsAtThePatientsPhase(long phaseMs) {
    PatientKey p = withPhase(CONFIG, phaseMs);
    Instant end = T0.plus(Duration.ofHours(3)).plusMillis(phaseMs);
    try (ScoringDriver d = new ScoringDriver(CONFIG)) {
      d.send(p, Vital.OXYGEN_SATURATION, 97, end.minus(Duration.ofHours(3)).minusMillis(1));
      d.send(p, Vital.HEART_RATE, 75, end.minus(Duration.ofHours(3)));
      d.send(p, Vital.HEART_RATE, 140, end.minusMillis(1));
      d.send(p, Vital.OXYGEN_SATURATION, 85, end);
      // Just short of the next window's end plus grace: E + 1h is not due yet.
      Instant nextDue = end.plus(HOUR).plus(CONFIG.grace());
      d.send(p, Vital.RESPIRATORY_RATE, 16, nextDue.minusMillis(1));
      List<RiskScore> scores = d.drainScores();
      List<Instant> ends = scores.stream().map(RiskScore::getWindowEnd).toList();
      assertEquals(
          List.of(
              end.minus(Duration.ofHours(3)), end.minus(Duration.ofHours(2)), end.minus(HOUR), end),
          ends,
          "every window with data through E, on the patient's grid");
      for (RiskScore s : scores) {
        assertEquals(s.getWindowEnd().minus(Duration.ofHours(3)), s.getWindowStart());
      }
      // E - 3h: only the SpO2 a millisecond before E - 3h.
      RiskScore first = scores.get(0);
      assertEquals(1, observed(first, VitalType.OXYGEN_SATURATION));
      assertEquals(0, observed(first, VitalType.HEART_RATE));
      // E: the HR at its start and a millisecond before its end, in two of its hours; neither
      // SpO2 (one a millisecond before its start, one at its end).
      RiskScore window = scores.get(3);
      assertEquals(2, observed(window, VitalType.HEART_RATE));
      assertEquals(0, observed(window, VitalType.OXYGEN_SATURATION));
      assertEquals(3, window.getNews2().getPulse(), "the HR 140 at E - 1 ms is the latest");
      assertTrue(window.getNews2().getMissing().contains(News2Parameter.SPO2));

      d.send(p, Vital.RESPIRATORY_RATE, 16, nextDue);
      RiskScore next = d.drainScores().get(0);
      assertEquals(end.plus(HOUR), next.getWindowEnd());
      assertEquals(end.minus(Duration.ofHours(2)), next.getWindowStart());
      assertEquals(1, observed(next, VitalType.OXYGEN_SATURATION), "the SpO2 at E");
      assertEquals(3, next.getNews2().getSpo2(), "SpO2 85 at E");
      assertEquals(1, observed(next, VitalType.HEART_RATE), "the HR 140 at E - 1 ms only");
    }
  }

  @Test
  void shouldReviseTheClosedWindowsALateReadingFallsInAtThePatientsPhase() {
    PatientKey p = withPhase(CONFIG, 1_234_000L);
    Instant end = T0.plus(Duration.ofHours(3)).plusMillis(1_234_000L);
    try (ScoringDriver d = new ScoringDriver(CONFIG)) {
      for (Instant t = end.minus(Duration.ofHours(3));
          t.isBefore(end.plus(HOUR).plus(CONFIG.grace()));
          t = t.plus(Duration.ofMinutes(10))) {
        d.send(p, Vital.HEART_RATE, 75, t);
      }
      d.send(p, Vital.HEART_RATE, 75, end.plus(HOUR).plus(CONFIG.grace()));
      List<Instant> scored = d.drainScores().stream().map(RiskScore::getWindowEnd).toList();
      assertEquals(end.plus(HOUR), scored.get(scored.size() - 1), "closed through E + 1h");

      // Half an hour before E: in the windows ending E, E + 1h (closed, revised) and E + 2h (open).
      d.send(p, Vital.HEART_RATE, 140, end.minus(Duration.ofMinutes(30)));
      List<RiskScore> revised = d.drainScores();
      assertEquals(
          List.of(end, end.plus(HOUR)), revised.stream().map(RiskScore::getWindowEnd).toList());
      for (RiskScore r : revised) {
        assertEquals(1, r.getRevision());
        assertEquals(1, r.getLateReadings());
        assertEquals(r.getWindowEnd().minus(Duration.ofHours(3)), r.getWindowStart());
      }
      assertEquals(0, revised.get(1).getNews2().getPulse(), "the 75 at E + 1h - 10 min is later");
      // The served score of E is keyed by its end in event time (the risk API's range).
      byte[] stored =
          d.store(ScoringTopology.SCORES_STORE)
              .get(StateKeys.patientTime(StateKeys.patient(p), end.toEpochMilli()));
      assertNotNull(stored, "score of E stored under its end");

      d.send(p, Vital.HEART_RATE, 75, end.plus(Duration.ofHours(2)).plus(CONFIG.grace()));
      RiskScore open = d.drainScores().get(0);
      assertEquals(end.plus(Duration.ofHours(2)), open.getWindowEnd());
      assertEquals(0, open.getRevision(), "E + 2h was open when the late reading came: one score");
    }
  }

  @Test
  void shouldRejectAReadingBeyondTheAllowedLatenessWithEventTimesInTheMessage() {
    PatientKey p = withPhase(CONFIG, 1_234_000L);
    try (ScoringDriver d = new ScoringDriver(CONFIG)) {
      Instant latest = T0.plus(Duration.ofHours(30));
      d.send(p, Vital.HEART_RATE, 75, latest);
      d.send(p, Vital.HEART_RATE, 75, latest.minus(CONFIG.allowedLateness()).minusSeconds(1));
      RejectedObservation r = d.rejected.readValue();
      assertEquals(RejectionReason.TOO_LATE, r.getReason());
      assertTrue(
          r.getDetail().contains("behind the patient's latest reading at " + latest),
          r.getDetail());
    }
  }

  @Test
  void shouldCloseASilentPatientsWindowOnceStreamTimePassesItsPhasedEndPlusGrace() {
    PatientKey quiet = withPhase(CONFIG, 1_234_000L);
    PatientKey busy = withPhase(CONFIG, 0L);
    Instant end = T0.plus(HOUR).plusMillis(1_234_000L);
    try (ScoringDriver d = new ScoringDriver(CONFIG)) {
      d.send(quiet, Vital.HEART_RATE, 80, end.minus(Duration.ofMinutes(30)));
      d.send(busy, Vital.HEART_RATE, 80, end.plus(CONFIG.grace()).minusSeconds(1));
      d.driver.advanceWallClockTime(CONFIG.idleTimeout().plusMinutes(1));
      assertTrue(
          scoresOf(d, quiet).isEmpty(), "stream time a second short of the phased end + grace");
      d.send(busy, Vital.HEART_RATE, 80, end.plus(CONFIG.grace()));
      d.driver.advanceWallClockTime(CONFIG.idleTimeout().plusMinutes(1));
      List<RiskScore> scores = scoresOf(d, quiet);
      assertEquals(
          List.of(end), scores.stream().map(RiskScore::getWindowEnd).toList(), "closed idle");
    }
  }

  @Test
  void shouldCloseALivePatientsWindowWhenTheGraceHasPassedOnTheWallClockWithoutItsNextReading() {
    PatientKey live = withPhase(CONFIG, 1_234_000L);
    PatientKey busy = withPhase(CONFIG, 0L);
    Instant end = T0.plus(HOUR).plusMillis(1_234_000L);
    Duration sinceEnd = Duration.ofMinutes(2);
    try (ScoringDriver d = new ScoringDriver(CONFIG)) {
      d.send(live, Vital.HEART_RATE, 80, end.minus(Duration.ofMinutes(30)));
      d.send(live, Vital.HEART_RATE, 81, end.plus(sinceEnd));
      d.send(busy, Vital.HEART_RATE, 80, end.plus(CONFIG.grace()).plus(Duration.ofMinutes(1)));
      Duration wait = CONFIG.grace().minus(sinceEnd);
      d.driver.advanceWallClockTime(wait.minusSeconds(1));
      assertTrue(scoresOf(d, live).isEmpty(), "a second short of the grace on the wall clock");
      d.driver.advanceWallClockTime(Duration.ofSeconds(1));
      assertEquals(
          List.of(end),
          scoresOf(d, live).stream().map(RiskScore::getWindowEnd).toList(),
          "closed by the wall clock, long before the idle timeout");
    }
  }

  @Test
  void shouldScoreADrainsFirstScoresInOrderOfDueTimeAcrossPhasesThenRevisions() {
    ScoringConfig config = CONFIG;
    List<PatientKey> patients = new ArrayList<>();
    Set<Long> taken = new HashSet<>();
    for (int i = 0; patients.size() < 6; i++) {
      PatientKey key = ScoringDriver.patient("q" + i);
      if (taken.add(config.phaseMs(key) / 60_000)) {
        patients.add(key);
      }
    }
    // A big batch, so that every window waits for the punctuation and one drain scores them all.
    try (ScoringDriver d = new ScoringDriver(config.withBatchSize(10_000))) {
      for (PatientKey p : patients) {
        d.send(p, Vital.HEART_RATE, 80, T0.plus(Duration.ofMinutes(70)));
      }
      for (PatientKey p : patients) {
        d.send(p, Vital.HEART_RATE, 80, T0.plus(Duration.ofHours(3)));
      }
      d.drainScores();
      // One patient's late reading (a revision), then every patient's next window comes due.
      d.send(patients.get(0), Vital.HEART_RATE, 140, T0.plus(Duration.ofMinutes(80)));
      for (PatientKey p : patients) {
        d.send(p, Vital.HEART_RATE, 80, T0.plus(Duration.ofHours(4)));
      }
      d.flush();
      List<TestRecord<PatientKey, RiskScore>> drained = d.scores.readRecordsToList();
      List<KeyValue<Instant, Integer>> order = new ArrayList<>();
      for (TestRecord<PatientKey, RiskScore> r : drained) {
        order.add(KeyValue.pair(r.value().getWindowEnd(), r.value().getRevision()));
      }
      int firstRevision = 0;
      while (firstRevision < order.size() && order.get(firstRevision).value == 0) {
        firstRevision++;
      }
      assertTrue(firstRevision >= patients.size(), "first scores of every patient: " + order);
      assertTrue(firstRevision < order.size(), "the late reading's revision: " + order);
      for (int i = firstRevision; i < order.size(); i++) {
        assertTrue(order.get(i).value > 0, "revisions after every first score: " + order);
      }
      for (int i = 1; i < firstRevision; i++) {
        assertTrue(
            !order.get(i).key.isBefore(order.get(i - 1).key),
            "first scores in order of window end: " + order);
      }
      // Nothing far ahead: every window scored is at most the clock's latest (4:00) minus grace.
      for (KeyValue<Instant, Integer> o : order) {
        assertTrue(
            !o.key.isAfter(T0.plus(Duration.ofHours(4)).minus(config.grace())),
            "nothing scored before it is due: " + o.key);
      }
      try (var due = d.store(ScoringTopology.DUE_STORE).all()) {
        assertTrue(!due.hasNext(), "one drain scored every due window");
      }
    }
  }

  private static List<RiskScore> scoresOf(ScoringDriver d, PatientKey patient) {
    List<RiskScore> mine = new ArrayList<>();
    for (TestRecord<PatientKey, RiskScore> r : d.scores.readRecordsToList()) {
      if (r.key().equals(patient)) {
        mine.add(r.value());
      }
    }
    return mine;
  }

  private static int observed(RiskScore score, VitalType vital) {
    return score.getCompleteness().stream()
        .filter(c -> c.getVital() == vital)
        .findFirst()
        .orElseThrow()
        .getObservedHours();
  }
}
