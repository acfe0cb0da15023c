package io.vigil.scoring.app.topology;

import static io.vigil.scoring.app.topology.ScoringDriver.T0;
import static io.vigil.scoring.app.topology.ScoringDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.risk.VitalCompleteness;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

class ScoringTopologyTest {
  private static final PatientKey ANNA = patient("anna");
  private static final PatientKey BEN = patient("ben");

  private static Instant at(int hour, int minute) {
    return T0.plus(Duration.ofHours(hour).plusMinutes(minute));
  }

  /** A full NEWS2 set (without consciousness and oxygen, which come from the context). */
  private static void vitalsSet(ScoringDriver d, PatientKey p, Instant t, double hr) {
    d.send(p, Vital.HEART_RATE, hr, t);
    d.send(p, Vital.RESPIRATORY_RATE, 16, t);
    d.send(p, Vital.OXYGEN_SATURATION, 97, t);
    d.send(p, Vital.SYSTOLIC_BP, 120, t);
    d.send(p, Vital.BODY_TEMPERATURE, 37.0, t);
  }

  @Test
  void shouldScoreWindowOnceStreamTimePassesEndPlusGrace() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 10));
      d.send(ANNA, Vital.HEART_RATE, 95, at(10, 40));
      d.send(ANNA, Vital.HEART_RATE, 85, at(11, 4));
      assertTrue(d.drainScores().isEmpty(), "11:04 is within the 5 min grace of the 11:00 window");

      d.send(ANNA, Vital.HEART_RATE, 86, at(11, 5));
      List<RiskScore> scores = d.drainScores();
      assertEquals(1, scores.size());
      RiskScore score = scores.get(0);
      assertEquals(at(11, 0), score.getWindowEnd());
      assertEquals(at(8, 0), score.getWindowStart(), "3-hour window");
      assertEquals(1, score.getNews2().getPulse(), "latest pulse in the window is 95 (91-110: 1)");
      assertEquals("untrained-w3-seed7", score.getModelVersion());
      assertTrue(score.getLstmRisk() >= 0 && score.getLstmRisk() <= 1);
      VitalCompleteness hr = completeness(score, VitalType.HEART_RATE);
      assertEquals(1, hr.getObservedHours());
      assertEquals(1 / 3.0, hr.getFraction(), 1e-9);
    }
  }

  @Test
  void shouldScoreEveryDueWindowExactlyOnceInOrder() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      for (int minute = 0; minute <= 6 * 60; minute += 10) {
        d.send(ANNA, Vital.HEART_RATE, 70 + minute % 7, T0.plus(Duration.ofMinutes(minute)));
      }
      List<Instant> ends = d.drainScores().stream().map(RiskScore::getWindowEnd).toList();
      // Readings 00:00..06:00; windows end 01:00..06:00, 06:00 + 5 min not reached.
      assertEquals(List.of(at(1, 0), at(2, 0), at(3, 0), at(4, 0), at(5, 0)), ends);
    }
  }

  @Test
  void shouldGiveTheSameScoresForOutOfOrderReadingsWithinGrace() {
    List<Integer> minutes = new ArrayList<>();
    for (int m = 0; m < 5 * 60; m += 7) {
      minutes.add(m);
    }
    List<Integer> shuffled = new ArrayList<>(minutes);
    // Shuffle inside blocks of 4 readings (28 min): out of order, but never past grace... except
    // across the hour, so keep each block inside one hour.
    Random random = new Random(3);
    List<Integer> outOfOrder = new ArrayList<>();
    for (int hour = 0; hour < 5; hour++) {
      final int h = hour;
      List<Integer> block =
          shuffled.stream()
              .filter(m -> m / 60 == h)
              .collect(Collectors.toCollection(ArrayList::new));
      Collections.shuffle(block, random);
      outOfOrder.addAll(block);
    }
    assertFalse(outOfOrder.equals(minutes));
    List<RiskScore> inOrder = run(minutes);
    List<RiskScore> reordered = run(outOfOrder);
    assertEquals(5, inOrder.size());
    assertEquals(withoutScoredAt(inOrder), withoutScoredAt(reordered));
  }

  private static List<RiskScore> run(List<Integer> minutes) {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      for (int m : minutes) {
        Instant t = T0.plus(Duration.ofMinutes(m));
        switch (m % 3) {
          case 0 -> d.send(ANNA, Vital.HEART_RATE, 60 + (m * 37 % 60), t);
          case 1 -> d.send(ANNA, Vital.RESPIRATORY_RATE, 8 + (m % 20), t);
          default -> d.send(ANNA, Vital.OXYGEN_SATURATION, 88 + (m % 12), t);
        }
      }
      d.send(ANNA, Vital.HEART_RATE, 70, at(5, 30));
      return d.drainScores();
    }
  }

  private static List<RiskScore> withoutScoredAt(List<RiskScore> scores) {
    return scores.stream()
        .map(s -> RiskScore.newBuilder(s).setScoredAt(Instant.EPOCH).build())
        .toList();
  }

  @Test
  void shouldGiveTheSameScoresWhetherAPatientsWindowsAreScoredOneByOneOrAllInOneBatch() {
    // 20-minute cadence: each scored window merges its closed buckets into the patient's hour
    // history; a wearable syncing hours at once has all its windows scored in one batch, a live
    // one window by window. Both must see the same windows, also across a gap.
    ScoringConfig config = ScoringDriver.smallConfig().withCadence(Duration.ofMinutes(20));
    List<Integer> minutes = new ArrayList<>();
    for (int m = 0; m < 9 * 60; m += 7) {
      if (m < 2 * 60 || m >= 7 * 60) {
        minutes.add(m);
      }
    }
    List<RiskScore> oneBatch;
    try (ScoringDriver d = new ScoringDriver(config)) {
      minutes.forEach(m -> sendMixed(d, m));
      d.send(ANNA, Vital.HEART_RATE, 70, at(9, 30));
      oneBatch = d.drainScores();
    }
    List<RiskScore> oneByOne = new ArrayList<>();
    try (ScoringDriver d = new ScoringDriver(config)) {
      for (int m : minutes) {
        sendMixed(d, m);
        oneByOne.addAll(d.drainScores());
      }
      d.send(ANNA, Vital.HEART_RATE, 70, at(9, 30));
      oneByOne.addAll(d.drainScores());
    }
    // 00:20..04:00 (the last 3-hour window holding the 01:00 hour ends at 04:00), the gap is
    // skipped, then 07:20..09:20.
    assertEquals(12 + 7, oneBatch.size());
    assertEquals(at(4, 0), oneBatch.get(11).getWindowEnd());
    assertEquals(at(7, 20), oneBatch.get(12).getWindowEnd());
    assertEquals(oneBatch.size(), oneByOne.size());
    for (int i = 0; i < oneBatch.size(); i++) {
      RiskScore a = oneBatch.get(i);
      RiskScore b = oneByOne.get(i);
      // The same window content; the network's float arithmetic differs in the last bits with
      // the batch's size, so the risks agree to 1e-6 (as offline and online do).
      assertEquals(a.getWindowEnd(), b.getWindowEnd());
      assertEquals(a.getWindowStart(), b.getWindowStart());
      assertEquals(a.getNews2(), b.getNews2(), "NEWS2 of " + a.getWindowEnd());
      assertEquals(a.getCompleteness(), b.getCompleteness(), "completeness of " + a.getWindowEnd());
      assertEquals(a.getLstmRisk(), b.getLstmRisk(), 1e-6, "risk of " + a.getWindowEnd());
    }
  }

  private static void sendMixed(ScoringDriver d, int m) {
    Instant t = T0.plus(Duration.ofMinutes(m));
    switch (m % 3) {
      case 0 -> d.send(ANNA, Vital.HEART_RATE, 60 + (m * 37 % 60), t);
      case 1 -> d.send(ANNA, Vital.RESPIRATORY_RATE, 8 + (m % 20), t);
      default -> d.send(ANNA, Vital.OXYGEN_SATURATION, 88 + (m % 12), t);
    }
  }

  @Test
  void shouldProduceIdenticalScoresWhenTheSameReadingsAreReplayed() {
    List<Integer> minutes = new ArrayList<>();
    for (int m = 0; m < 8 * 60; m += 5) {
      minutes.add(m);
    }
    List<RiskScore> first = run(minutes);
    List<RiskScore> second = run(minutes);
    assertEquals(withoutScoredAt(first), withoutScoredAt(second));
    assertFalse(first.isEmpty());
  }

  @Test
  void shouldReviseAClosedWindowWhenAReadingArrivesPastItsGrace() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 6));
      RiskScore first = d.drainScores().get(0);
      assertEquals(at(11, 0), first.getWindowEnd());
      assertEquals(0, first.getRevision());
      assertEquals(0, first.getNews2().getPulse());

      d.send(ANNA, Vital.RESPIRATORY_RATE, 26, at(10, 59));
      d.send(ANNA, Vital.HEART_RATE, 150, at(10, 58));
      assertTrue(d.rejected.isEmpty(), "late readings within the allowed lateness count");
      List<RiskScore> revised = d.drainScores();
      assertEquals(1, revised.size(), "one revision for both late readings");
      RiskScore revision = revised.get(0);
      assertEquals(at(11, 0), revision.getWindowEnd(), "the window's own time");
      assertEquals(1, revision.getRevision());
      assertEquals(2, revision.getLateReadings());
      assertEquals(List.of("heart_rate", "respiratory_rate"), revision.getLateVitals());
      assertEquals(3, revision.getNews2().getRespirationRate(), "RR 26 scores 3");
      assertEquals(0, revision.getPreviousNews2Total());
      assertEquals(first.getLstmRisk(), revision.getPreviousLstmRisk());
      assertEquals(2.0, counter(d, "vigil_scoring_late_readings", "outcome", "accepted"));
      assertEquals(1.0, counter(d, "vigil_scoring_revisions", "tenant", "ward-a"));

      // The late readings reach the later windows they fall in, which are scored once, normally.
      d.send(ANNA, Vital.HEART_RATE, 80, at(12, 6));
      RiskScore next = d.drainScores().get(0);
      assertEquals(at(12, 0), next.getWindowEnd());
      assertEquals(0, next.getRevision());
      assertEquals(0, next.getLateReadings());
      assertEquals(0, next.getNews2().getPulse(), "latest pulse is the 80 at 11:06");
      assertEquals(3, next.getNews2().getRespirationRate(), "the late RR is in this window too");
    }
  }

  @Test
  void shouldEmitOtherPatientsFirstScoresBeforeRevisions() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(12, 6));
      d.send(BEN, Vital.HEART_RATE, 80, at(10, 30));
      assertEquals(2, d.drainScores().size(), "Anna's windows ending 11:00 and 12:00");
      // Anna's phone syncs 10:40 (revising 11:00 and 12:00) while Ben's 11:00 window falls due.
      d.send(ANNA, Vital.HEART_RATE, 120, at(10, 40));
      d.send(BEN, Vital.HEART_RATE, 80, at(11, 6));
      List<KeyValue<PatientKey, RiskScore>> drained = d.scores.readKeyValuesToList();
      assertTrue(drained.isEmpty());
      d.flush();
      drained = d.scores.readKeyValuesToList();
      assertEquals(
          List.of(
              "ben@" + at(11, 0) + "#0", "anna@" + at(11, 0) + "#1", "anna@" + at(12, 0) + "#1"),
          drained.stream()
              .map(
                  kv ->
                      kv.key.getPatientId()
                          + "@"
                          + kv.value.getWindowEnd()
                          + "#"
                          + kv.value.getRevision())
              .toList());
    }
  }

  @Test
  void shouldRejectReadingsBeyondTheAllowedLatenessAsTooLate() {
    ScoringConfig config = ScoringDriver.smallConfig().withAllowedLateness(Duration.ofHours(4));
    try (ScoringDriver d = new ScoringDriver(config)) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(15, 6));
      d.drainScores();
      d.send(ANNA, Vital.HEART_RATE, 150, at(11, 5));
      List<RejectedObservation> rejected = d.rejected.readValuesToList();
      assertEquals(1, rejected.size());
      assertEquals(RejectionReason.TOO_LATE, rejected.get(0).getReason());
      assertTrue(
          rejected.get(0).getDetail().contains("PT4H1M behind the patient's latest reading"),
          rejected.get(0).getDetail());
      assertNotNull(rejected.get(0).getValue(), "raw bytes kept for the dead letter");
      assertTrue(d.drainScores().isEmpty(), "nothing revised by a reading that does not count");
      assertEquals(1.0, counter(d, "vigil_scoring_records_rejected", "TOO_LATE"));
      assertEquals(1.0, counter(d, "vigil_scoring_late_readings", "outcome", "too_late"));

      // Exactly at the allowed lateness it still counts.
      d.send(ANNA, Vital.HEART_RATE, 150, at(11, 6));
      assertTrue(d.rejected.isEmpty());
      // 12:00 and 13:00 are revised; 14:00 had no data when the clock passed it and is scored
      // now for the first time (first scores are emitted before revisions).
      assertEquals(
          List.of(at(14, 0) + "#0", at(12, 0) + "#1", at(13, 0) + "#1"),
          d.drainScores().stream().map(r -> r.getWindowEnd() + "#" + r.getRevision()).toList());
    }
  }

  @Test
  void shouldForgetReadingHashesOnlyOnceNoReadingCanFallInTheirBucket() {
    ScoringConfig config = ScoringDriver.smallConfig().withAllowedLateness(Duration.ofHours(4));
    try (ScoringDriver d = new ScoringDriver(config)) {
      VitalObservation early =
          ScoringDriver.observation("rr-early", Vital.RESPIRATORY_RATE, 26, at(10, 30));
      d.send(ANNA, early);
      for (int hour = 11; hour <= 14; hour++) {
        d.send(ANNA, Vital.HEART_RATE, 80, at(hour, 10));
      }
      d.drainScores();
      // Latest 14:10: a reading at 10:10 still counts, so the 10:00 bucket still knows its
      // readings.
      d.send(ANNA, early);
      assertEquals(RejectionReason.DUPLICATE, d.rejected.readValue().getReason());
      assertEquals(List.of(10, 11, 12, 13, 14), bucketsWithHashes(d, ANNA));

      // Latest 15:20: nothing before 11:20 counts any more; the 10:00 bucket keeps its summary
      // only.
      d.send(ANNA, Vital.HEART_RATE, 80, at(15, 20));
      assertEquals(List.of(11, 12, 13, 14, 15), bucketsWithHashes(d, ANNA));
      assertEquals(List.of(10, 11, 12, 13, 14, 15), buckets(d, ANNA));
      d.send(ANNA, early);
      assertEquals(RejectionReason.TOO_LATE, d.rejected.readValue().getReason());
      d.drainScores();

      // A late reading revises the windows holding it from their buckets, the hash-less one too:
      // the 12:00 window (09:00 to 12:00) still sees the respiratory rate read at 10:30.
      d.send(ANNA, Vital.HEART_RATE, 82, at(11, 30));
      assertTrue(d.rejected.isEmpty());
      RiskScore revised =
          d.drainScores().stream()
              .filter(r -> r.getWindowEnd().equals(at(12, 0)))
              .findFirst()
              .orElseThrow();
      assertEquals(1, revised.getRevision());
      assertEquals(1, completeness(revised, VitalType.RESPIRATORY_RATE).getObservedHours());
      assertEquals(3, revised.getNews2().getRespirationRate(), "RR 26 at 10:30 scores 3");
    }
  }

  /** Hours (since T0) of the patient's bucket rows. */
  private static List<Integer> buckets(ScoringDriver d, PatientKey p) {
    return bucketHours(d, p, false);
  }

  /** Hours (since T0) of the patient's bucket rows that still hold reading hashes. */
  private static List<Integer> bucketsWithHashes(ScoringDriver d, PatientKey p) {
    return bucketHours(d, p, true);
  }

  private static List<Integer> bucketHours(ScoringDriver d, PatientKey p, boolean withHashes) {
    byte[] patient = StateKeys.patient(p);
    List<Integer> hours = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        d.store(ScoringTopology.BUCKETS_STORE)
            .range(
                StateKeys.patientTime(patient, Long.MIN_VALUE),
                StateKeys.patientTime(patient, Long.MAX_VALUE))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> row = it.next();
        if (!withHashes || BucketRow.decode(row.value).hasHashes()) {
          long start = StateKeys.timeAfterPatient(row.key, patient.length);
          hours.add((int) Duration.between(T0, Instant.ofEpochMilli(start)).toHours());
        }
      }
    }
    return hours;
  }

  @Test
  void shouldScoreForTheFirstTimeAWindowThatHadNoDataWhenItClosed() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(1, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 6));
      assertEquals(
          List.of(at(2, 0), at(3, 0), at(4, 0), at(11, 0)),
          d.drainScores().stream().map(RiskScore::getWindowEnd).toList());
      // A phone that was offline syncs 6:10: the gap's windows holding it get their first score.
      d.send(ANNA, Vital.HEART_RATE, 120, at(6, 10));
      List<RiskScore> late = d.drainScores();
      assertEquals(
          List.of(at(7, 0), at(8, 0), at(9, 0)),
          late.stream().map(RiskScore::getWindowEnd).toList());
      for (RiskScore score : late) {
        assertEquals(0, score.getRevision(), "a first score");
        assertEquals(1, score.getLateReadings());
        assertEquals(2, score.getNews2().getPulse(), "HR 120 scores 2");
      }
    }
  }

  @Test
  void shouldAcceptALateReadingStillWithinGrace() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 4));
      d.send(ANNA, Vital.HEART_RATE, 125, at(10, 59));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 5));
      RiskScore score = d.drainScores().get(0);
      assertEquals(2, score.getNews2().getPulse(), "the 10:59 reading is the window's latest");
      assertTrue(d.rejected.isEmpty());
    }
  }

  @Test
  void shouldRemoveDuplicateReadingsBySourceAndReadingId() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      VitalObservation first = ScoringDriver.observation("dup-1", Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, first);
      // The same reading resent (an ingest retry), even with a different value, is not counted.
      d.send(
          ANNA,
          VitalObservation.newBuilder(first)
              .setValue(140)
              .setTime(at(10, 50))
              .setTimeReceived(at(10, 51))
              .build());
      // The same reading id from another source is another reading.
      d.send(
          ANNA,
          VitalObservation.newBuilder(first)
              .setSourceId("platform-2")
              .setValue(82)
              .setTime(at(10, 40))
              .setTimeReceived(at(10, 41))
              .build());
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 5));
      RiskScore score = d.drainScores().get(0);
      assertEquals(0, score.getNews2().getPulse(), "82 at 10:40 is the latest counted");
      List<RejectedObservation> rejected = d.rejected.readValuesToList();
      assertEquals(1, rejected.size(), rejected.toString());
      assertEquals(RejectionReason.DUPLICATE, rejected.get(0).getReason());
      assertEquals(1.0, counter(d, "vigil_scoring_records_rejected", "DUPLICATE"));
    }
  }

  @Test
  void shouldListMissingVitalsAndNeverScoreThemAsNormal() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 135, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 135, at(11, 10));
      RiskScore score = d.drainScores().get(0);
      assertEquals(3, score.getNews2().getTotal());
      assertFalse(score.getNews2().getComplete());
      assertEquals(
          List.of(
              News2Parameter.RESPIRATION_RATE,
              News2Parameter.SPO2,
              News2Parameter.AIR_OR_OXYGEN,
              News2Parameter.SYSTOLIC_BP,
              News2Parameter.CONSCIOUSNESS,
              News2Parameter.TEMPERATURE),
          score.getNews2().getMissing());
      assertNull(score.getNews2().getTemperature());
      assertEquals(0, completeness(score, VitalType.BODY_TEMPERATURE).getObservedHours());
      assertEquals(7, score.getCompleteness().size());
    }
  }

  @Test
  void shouldScoreACompleteNews2WithContextAndFollowContextChanges() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.context(ANNA, false, false, Consciousness.ALERT);
      vitalsSet(d, ANNA, at(10, 30), 80);
      vitalsSet(d, ANNA, at(11, 10), 80);
      RiskScore onAir = d.drainScores().get(0);
      assertTrue(onAir.getNews2().getComplete());
      assertEquals(0, onAir.getNews2().getTotal());
      assertEquals(0, onAir.getNews2().getAirOrOxygen());

      // Oxygen started: +2, SpO2 97 still 0 on scale 1.
      d.context(ANNA, true, false, Consciousness.ALERT);
      vitalsSet(d, ANNA, at(12, 10), 80);
      RiskScore onOxygen = d.drainScores().get(0);
      assertEquals(2, onOxygen.getNews2().getAirOrOxygen());
      assertEquals(0, onOxygen.getNews2().getSpo2());
      assertEquals(2, onOxygen.getNews2().getTotal());

      // Scale 2 prescribed: SpO2 97 on oxygen scores 3, and the single-parameter flag is set.
      d.context(ANNA, true, true, Consciousness.ALERT);
      vitalsSet(d, ANNA, at(13, 10), 80);
      RiskScore scale2 = d.drainScores().get(0);
      assertTrue(scale2.getNews2().getSpo2Scale2());
      assertEquals(3, scale2.getNews2().getSpo2());
      assertEquals(5, scale2.getNews2().getTotal());
      assertTrue(scale2.getNews2().getSingleParameter3());

      // New confusion.
      d.context(ANNA, false, true, Consciousness.CONFUSION);
      vitalsSet(d, ANNA, at(14, 10), 80);
      RiskScore confused = d.drainScores().get(0);
      assertEquals(3, confused.getNews2().getConsciousness());
      assertEquals(0, confused.getNews2().getSpo2(), "97 on air on scale 2 scores 0");
    }
  }

  @Test
  void shouldRejectCorruptAndInvalidRecordsAndKeepScoring() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      byte[] key = Topics.PATIENT_KEY.encode(ANNA);
      d.sendRaw(key, "not avro".getBytes(StandardCharsets.UTF_8));
      d.sendRaw("garbage".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2});
      d.sendRaw(key, null);
      d.send(ANNA, ScoringDriver.observation("x1", Vital.HEART_RATE, 900, at(10, 0)));
      d.send(
          ANNA,
          VitalObservation.newBuilder(
                  ScoringDriver.observation("x2", Vital.BODY_TEMPERATURE, 99, at(10, 0)))
              .setUnit("[degF]")
              .build());
      d.send(
          ANNA,
          VitalObservation.newBuilder(
                  ScoringDriver.observation("x3", Vital.HEART_RATE, 80, at(30, 0)))
              .setTimeReceived(at(10, 0))
              .build());
      List<RejectedObservation> rejected = d.rejected.readValuesToList();
      assertEquals(
          List.of(
              RejectionReason.UNDECODABLE,
              RejectionReason.UNDECODABLE,
              RejectionReason.INVALID_VALUE,
              RejectionReason.OUT_OF_RANGE,
              RejectionReason.INVALID_VALUE,
              RejectionReason.INVALID_VALUE),
          rejected.stream().map(RejectedObservation::getReason).toList());
      assertTrue(
          rejected.get(0).getDetail().contains("VitalObservation"), rejected.get(0).getDetail());
      assertTrue(rejected.get(1).getDetail().startsWith("key:"), rejected.get(1).getDetail());
      assertTrue(rejected.get(3).getDetail().contains("plausible range"));
      assertTrue(rejected.get(4).getDetail().contains("must be in Cel"));
      assertTrue(rejected.get(5).getDetail().contains("device clock wrong"));
      assertEquals(Topics.VITALS_OBSERVATIONS.name(), rejected.get(0).getTopic());

      // The device with a clock in the future did not move time: 10:30 is not late.
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 5));
      assertEquals(1, d.drainScores().size());
      assertTrue(d.rejected.isEmpty());
    }
  }

  @Test
  void shouldSkipHoursWithoutReadingsAndNotScoreEmptyWindows() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(1, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(30, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(31, 30));
      List<Instant> ends = d.drainScores().stream().map(RiskScore::getWindowEnd).toList();
      // 01:30 is in the windows ending 02:00, 03:00, 04:00; 30:30 in the one ending 31:00.
      assertEquals(List.of(at(2, 0), at(3, 0), at(4, 0), at(31, 0)), ends);
    }
  }

  @Test
  void shouldBatchDueWindowsOfManyPatientsIntoOneInferenceCall() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      for (int p = 0; p < 40; p++) {
        d.send(patient("p" + p), Vital.HEART_RATE, 60 + p, at(10, 30));
        d.send(patient("p" + p), Vital.HEART_RATE, 60 + p, at(11, 10));
      }
      assertEquals(40, d.drainScores().size());
      var batches =
          d.registry.scrape().stream()
              .filter(s -> s.getMetadata().getName().equals("vigil_scoring_batch_windows"))
              .findFirst()
              .orElseThrow();
      var point =
          ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) batches)
              .getDataPoints()
              .get(0);
      assertEquals(1, point.getCount(), "one DL4J call");
      assertEquals(40.0, point.getSum());
    }
  }

  @Test
  void shouldCloseASilentPatientsWindowsByPartitionTimeAfterTheIdleTimeout() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(BEN, Vital.HEART_RATE, 80, at(15, 0));
      assertTrue(d.drainScores().isEmpty(), "Anna was seen less than 10 min ago (wall clock)");
      d.driver.advanceWallClockTime(Duration.ofMinutes(11));
      List<RiskScore> scores = d.scores.readValuesToList();
      assertEquals(
          List.of(at(11, 0), at(12, 0), at(13, 0)),
          scores.stream().map(RiskScore::getWindowEnd).toList());
      // Anna's windows are closed now: a reading for them is late, revises the window it falls in
      // and schedules the windows after it that were not closed yet (14:00 closes by partition
      // time, 15:00 not before the partition passes 15:05).
      d.send(ANNA, Vital.HEART_RATE, 135, at(12, 30));
      assertTrue(d.rejected.isEmpty());
      List<RiskScore> revised = d.drainScores();
      assertEquals(1, revised.size());
      assertEquals(at(13, 0), revised.get(0).getWindowEnd());
      assertEquals(1, revised.get(0).getRevision());
      assertEquals(3, revised.get(0).getNews2().getPulse(), "HR 135 scores 3");
      d.driver.advanceWallClockTime(Duration.ofMinutes(11));
      assertEquals(
          List.of(at(14, 0)),
          d.scores.readValuesToList().stream().map(RiskScore::getWindowEnd).toList());
    }
  }

  @Test
  void shouldKeepPerPatientStateBoundedToAboutOneWindow() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      for (int minute = 0; minute <= 48 * 60; minute += 5) {
        vitalsSet(d, ANNA, T0.plus(Duration.ofMinutes(minute)), 80);
      }
      assertEquals(47, d.drainScores().size());
      int buckets = count(d, ScoringTopology.BUCKETS_STORE);
      // Buckets stay for the allowed lateness (24 h) plus one window (3 h).
      assertTrue(buckets <= 24 + 3 + 2, "buckets kept: " + buckets);
    }
  }

  @Test
  void shouldDeleteTheStateOfAPatientWhoSentNothingForThePatientExpiry() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.context(ANNA, false, false, Consciousness.ALERT);
      for (int minute = 0; minute <= 5 * 60 + 10; minute += 10) {
        vitalsSet(d, ANNA, T0.plus(Duration.ofMinutes(minute)), 80);
      }
      assertEquals(5, d.drainScores().size());
      d.driver.advanceWallClockTime(Duration.ofDays(20));
      for (int minute = 0; minute <= 5 * 60 + 10; minute += 10) {
        vitalsSet(d, BEN, T0.plus(Duration.ofMinutes(minute)), 80);
      }
      d.drainScores();
      d.driver.advanceWallClockTime(Duration.ofDays(10).plusHours(2));

      assertTrue(servedEnds(d, ANNA).isEmpty(), "Anna's scores are gone after 30 days");
      for (String store : ScoringTopology.PATIENT_STORES) {
        if (!store.equals(ScoringTopology.CONTEXT_STORE)) {
          assertEquals(0, rowsOf(d, store, ANNA), store + " still holds Anna");
        }
      }
      assertEquals(1, rowsOf(d, ScoringTopology.CONTEXT_STORE, ANNA), "context until deleted");
      assertEquals(5, servedEnds(d, BEN).size(), "Ben sent 10 days ago: kept");
      assertEquals(1.0, gauge(d, "vigil_scoring_patients_expired"));

      // Anna comes back with readings from before her old ones: a new clock, nothing too late.
      d.send(ANNA, Vital.HEART_RATE, 80, T0.minus(Duration.ofHours(3)));
      d.send(ANNA, Vital.HEART_RATE, 80, T0.minus(Duration.ofMinutes(115)));
      d.drainScores();
      assertTrue(d.rejected.isEmpty());
      assertEquals(List.of(T0.minus(Duration.ofHours(2))), servedEnds(d, ANNA));
    }
  }

  private static int rowsOf(ScoringDriver d, String store, PatientKey patient) {
    byte[] prefix = StateKeys.patient(patient);
    int n = 0;
    try (KeyValueIterator<Bytes, byte[]> it = d.store(store).all()) {
      while (it.hasNext()) {
        byte[] key = it.next().key.get();
        boolean leading =
            key.length >= prefix.length
                && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
        boolean trailing =
            key.length >= prefix.length + 8
                && java.util.Arrays.equals(key, 8, 8 + prefix.length, prefix, 0, prefix.length)
                && key.length == 8 + prefix.length;
        if (leading || trailing) {
          n++;
        }
      }
    }
    return n;
  }

  private static double gauge(ScoringDriver d, String name) {
    return d.registry.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .flatMap(
            s ->
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot) s)
                    .getDataPoints().stream())
        .mapToDouble(p -> p.getValue())
        .sum();
  }

  @Test
  void shouldExpireServedScoresOlderThanTheRetentionCountedFromTheLatestWindow() {
    ScoringConfig config =
        ScoringDriver.smallConfig()
            .withCadence(Duration.ofMinutes(20))
            .withAllowedLateness(Duration.ofHours(3))
            .withScoreRetention(Duration.ofHours(6));
    try (ScoringDriver d = new ScoringDriver(config)) {
      // 30 hours of readings (across a day boundary), then two days of silence, then 2 hours.
      List<Instant> ends = new ArrayList<>();
      for (int minute = 0; minute <= 30 * 60; minute += 10) {
        d.send(ANNA, Vital.HEART_RATE, 80, T0.plus(Duration.ofMinutes(minute)));
        if (minute % 120 == 0) {
          d.drainScores().forEach(s -> ends.add(s.getWindowEnd()));
        }
      }
      d.drainScores().forEach(s -> ends.add(s.getWindowEnd()));
      Instant latest = ends.get(ends.size() - 1);
      assertEquals(
          ends.stream().filter(e -> !e.isBefore(latest.minus(Duration.ofHours(6)))).toList(),
          servedEnds(d, ANNA));
      assertTrue(servedEnds(d, ANNA).size() >= 18, "6 hours of 20-minute windows");

      for (int minute = 78 * 60; minute <= 80 * 60; minute += 10) {
        d.send(ANNA, Vital.HEART_RATE, 80, T0.plus(Duration.ofMinutes(minute)));
      }
      List<Instant> later = d.drainScores().stream().map(RiskScore::getWindowEnd).toList();
      Instant last = later.get(later.size() - 1);
      assertEquals(
          later.stream().filter(e -> !e.isBefore(last.minus(Duration.ofHours(6)))).toList(),
          servedEnds(d, ANNA),
          "nothing from before the silence is served any more");
    }
  }

  private static List<Instant> servedEnds(ScoringDriver d, PatientKey patient) {
    byte[] prefix = StateKeys.patient(patient);
    List<Instant> ends = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        d.store(ScoringTopology.SCORES_STORE)
            .range(
                StateKeys.patientTime(prefix, Long.MIN_VALUE),
                StateKeys.patientTime(prefix, Long.MAX_VALUE))) {
      while (it.hasNext()) {
        Bytes key = it.next().key;
        ends.add(Instant.ofEpochMilli(StateKeys.timeAfterPatient(key, prefix.length)));
      }
    }
    return ends;
  }

  @Test
  void shouldNotLetReadingsAfterTheEndIntoASubHourWindow() {
    ScoringConfig config = ScoringDriver.smallConfig().withCadence(Duration.ofMinutes(20));
    try (ScoringDriver d = new ScoringDriver(config)) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 15));
      d.send(ANNA, Vital.HEART_RATE, 135, at(10, 21));
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 25));
      List<RiskScore> scores = d.drainScores();
      assertEquals(1, scores.size());
      assertEquals(at(10, 20), scores.get(0).getWindowEnd());
      assertEquals(at(8, 0), scores.get(0).getWindowStart());
      assertEquals(0, scores.get(0).getNews2().getPulse(), "135 at 10:21 is after the end");
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 45));
      RiskScore next = d.drainScores().get(0);
      assertEquals(at(10, 40), next.getWindowEnd());
      assertEquals(0, next.getNews2().getPulse(), "80 at 10:25 is the latest before 10:40");
    }
  }

  @Test
  void shouldKeepScoresQueryableInTheRocksDbScoresStore() {
    try (ScoringDriver d =
        new ScoringDriver(ScoringDriver.smallConfig(), ScoringTopology.StoreKind.PERSISTENT)) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 30));
      d.flush();
      byte[] anna = StateKeys.patient(ANNA);
      byte[] stored =
          d.store(ScoringTopology.SCORES_STORE)
              .get(StateKeys.patientTime(anna, at(11, 0).toEpochMilli()));
      assertNotNull(stored);
      RiskScore score = Topics.RISK_SCORES.valueSerde().deserializer().deserialize(null, stored);
      assertEquals(at(11, 0), score.getWindowEnd());
    }
  }

  @Test
  void shouldExplainOnlyScoresAboveTheExplanationLevel() {
    try (ScoringDriver never =
            new ScoringDriver(ScoringDriver.smallConfig().withExplainLevel(1.0));
        ScoringDriver always =
            new ScoringDriver(ScoringDriver.smallConfig().withExplainLevel(0.0))) {
      for (ScoringDriver d : List.of(never, always)) {
        vitalsSet(d, ANNA, at(9, 30), 130);
        vitalsSet(d, ANNA, at(10, 30), 135);
        vitalsSet(d, ANNA, at(11, 10), 140);
      }
      RiskScore unexplained = never.drainScores().get(0);
      RiskScore explained = always.drainScores().get(0);
      assertTrue(unexplained.getContributors().isEmpty());
      assertEquals(unexplained.getLstmRisk(), explained.getLstmRisk());
      var contributors = explained.getContributors();
      assertTrue(contributors.size() <= 3);
      for (int i = 1; i < contributors.size(); i++) {
        assertTrue(
            contributors.get(i - 1).getAttribution() >= contributors.get(i).getAttribution());
      }
      for (var c : contributors) {
        assertTrue(c.getAttribution() > 0);
        assertTrue(
            completeness(explained, c.getVital()).getObservedHours() > 0,
            "only observed vitals can contribute");
      }
    }
  }

  private static int count(ScoringDriver d, String store) {
    int n = 0;
    try (KeyValueIterator<Bytes, byte[]> it = d.store(store).all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> ignored = it.next();
        n++;
      }
    }
    return n;
  }

  private static VitalCompleteness completeness(RiskScore score, VitalType vital) {
    return score.getCompleteness().stream()
        .filter(c -> c.getVital() == vital)
        .findFirst()
        .orElseThrow();
  }

  private static double counter(ScoringDriver d, String name, String reason) {
    return counter(d, name, "reason", reason);
  }

  private static double counter(ScoringDriver d, String name, String label, String value) {
    return d.registry.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .flatMap(
            s ->
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot) s)
                    .getDataPoints().stream())
        .filter(p -> value.equals(p.getLabels().get(label)))
        .mapToDouble(p -> p.getValue())
        .sum();
  }
}
