package io.vigil.alerts.ward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.vigil.alerts.Scores;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.config.ConfigContext;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.vitals.VitalObservation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the ward overview keeps of each patient, and how little memory that takes. */
class WardViewTest {
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
  private static final String P = "clinic-a/bed-1";
  private ApplicationContext ctx;
  private WardView ward;

  @BeforeEach
  void setUp() {
    ctx = ConfigContext.start(Map.of());
    ward = new WardView(ctx.getBean(AlertsConfig.class));
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  static VitalObservation reading(VitalType vital, double value, Instant at) {
    return VitalObservation.newBuilder()
        .setReadingId("r-" + vital + at.toEpochMilli())
        .setSourceId("test")
        .setVital(vital)
        .setLoinc("x")
        .setValue(value)
        .setUnit("u")
        .setTime(at)
        .setTimeReceived(at)
        .build();
  }

  private WardRow row(String patient) {
    return ward.find(patient).orElseThrow();
  }

  private static Double value(WardRow r, String vital) {
    return r.vitals().stream().filter(v -> v.vital().equals(vital)).findFirst().get().value();
  }

  @Test
  void shouldBandNews2AtTheRcpBoundaries() {
    assertEquals("low", WardRow.band(0, false));
    assertEquals("low", WardRow.band(4, false));
    assertEquals("medium", WardRow.band(5, false));
    assertEquals("medium", WardRow.band(6, false));
    assertEquals("high", WardRow.band(7, false));
    assertEquals("high", WardRow.band(20, false));
    assertEquals("medium", WardRow.band(3, true), "a single parameter at 3 is medium");
    assertEquals("high", WardRow.band(7, true));
  }

  @Test
  void shouldKeepTheNewestReadingOfEachVitalByMeasurementTime() {
    ward.vital(P, reading(VitalType.HEART_RATE, 88, T), 0);
    ward.vital(P, reading(VitalType.HEART_RATE, 120, T.minusSeconds(60)), 0); // late, older
    ward.vital(P, reading(VitalType.RESPIRATORY_RATE, 25, T.plusSeconds(30)), 0);
    ward.vital(P, reading(VitalType.BODY_TEMPERATURE, 38.2, T), 0);
    ward.vital(P, reading(VitalType.MEAN_BP, 70, T.plusSeconds(90)), 0); // not shown
    WardRow r = row(P);
    assertEquals(88.0, value(r, "HR"));
    assertEquals(25.0, value(r, "RR"));
    assertEquals(38.2, value(r, "Temp"), 1e-5);
    assertNull(value(r, "SpO2"));
    assertEquals(T.plusSeconds(30), r.lastReading(), "the newest reading of a shown vital");
    assertEquals("clinic-a/unassigned", r.team(), "no context: the tenant's fallback team");
  }

  @Test
  void shouldKeepTheLastAndPreviousWindowAndTakeARevisionOfTheLast() {
    RiskScore first = Scores.score(T, 0.30, 4);
    ward.score(P, first, 0);
    WardRow r = row(P);
    assertEquals(4, r.news2());
    assertNull(r.previousNews2());
    assertNull(r.riskTrend(), "no trend from one window");
    ward.score(P, Scores.score(T.plusSeconds(3600), 0.42, 7), 0);
    r = row(P);
    assertEquals(7, r.news2());
    assertEquals(4, r.previousNews2());
    assertEquals("high", r.news2Band());
    assertEquals("up", r.riskTrend());
    // A revision of the last window replaces it; the previous stays the window before.
    ward.score(P, Scores.late(Scores.score(T.plusSeconds(3600), 0.25, 5), 1, 2, null), 0);
    r = row(P);
    assertEquals(5, r.news2());
    assertEquals(4, r.previousNews2());
    assertEquals("down", r.riskTrend());
    assertEquals("medium", r.news2Band());
    // An older window changes nothing.
    ward.score(P, Scores.score(T.minusSeconds(3600), 0.9, 9), 0);
    assertEquals(5, row(P).news2());
    // Under a percentage point is steady.
    ward.score(P, Scores.score(T.plusSeconds(7200), 0.255, 5), 0);
    assertEquals("steady", row(P).riskTrend());
  }

  @Test
  void shouldFollowTheCareTeamAndTellTheOldTeamThePatientLeft() {
    List<WardRow> pushed = new ArrayList<>();
    ward.subscribe(pushed::addAll);
    ward.vital(P, reading(VitalType.HEART_RATE, 70, T), 0);
    ward.context(P, Scores.context(T, "ward-1", "ward-2"), 0);
    ward.flush();
    assertEquals(1, ward.rowsFor(Set.of("clinic-a/ward-1")).size());
    assertTrue(ward.rowsFor(Set.of("clinic-a/ward-2", "clinic-a/unassigned")).isEmpty());
    assertTrue(pushed.stream().anyMatch(r -> r.gone() && r.team().equals("clinic-a/unassigned")));
    assertTrue(pushed.stream().anyMatch(r -> !r.gone() && r.team().equals("clinic-a/ward-1")));
    pushed.clear();
    ward.context(P, Scores.context(T.plusSeconds(60), "ward-3"), 0);
    ward.flush();
    assertTrue(ward.rowsFor(Set.of("clinic-a/ward-1")).isEmpty());
    assertEquals(2, pushed.size(), pushed.toString());
    assertTrue(pushed.get(0).gone());
    assertEquals("clinic-a/ward-1", pushed.get(0).team());
    assertEquals("clinic-a/ward-3", pushed.get(1).team());
    assertEquals(70.0, value(pushed.get(1), "HR"), "values kept across the move");
    // A tombstone (the platform deleted the patient) removes the patient.
    pushed.clear();
    ward.context(P, null, 0);
    ward.flush();
    assertTrue(ward.find(P).isEmpty());
    assertEquals(1, pushed.size());
    assertTrue(pushed.get(0).gone());
  }

  @Test
  void shouldShowAcvpuFromTheContext() {
    PatientContext c =
        PatientContext.newBuilder(Scores.context(T, "ward-1"))
            .setConsciousness(Consciousness.VOICE)
            .setConsciousnessTime(T)
            .build();
    ward.context(P, c, 0);
    assertEquals("V", row(P).acvpu());
    assertEquals(T, row(P).acvpuAt());
  }

  @Test
  void shouldPushOnlyChangedPatientsOncePerFlush() {
    List<List<WardRow>> pushes = new ArrayList<>();
    ward.subscribe(pushes::add);
    ward.vital(P, reading(VitalType.HEART_RATE, 70, T), 0);
    ward.vital(P, reading(VitalType.HEART_RATE, 72, T.plusSeconds(5)), 0);
    ward.vital("clinic-a/bed-2", reading(VitalType.HEART_RATE, 60, T), 0);
    ward.flush();
    ward.flush(); // nothing changed since
    assertEquals(1, pushes.size());
    assertEquals(2, pushes.get(0).size(), "one row per changed patient");
    assertEquals(72.0, value(pushes.get(0).get(0), "HR"));
  }

  @Test
  void shouldForgetPatientsWithoutContextAfterTheExpiryButKeepThoseWithOne() {
    long now = T.toEpochMilli();
    ward.vital(P, reading(VitalType.HEART_RATE, 70, T), now);
    ward.context("clinic-a/bed-2", Scores.context(T, "ward-1"), now);
    assertEquals(0, ward.forget(T.plus(Duration.ofDays(29))));
    assertEquals(1, ward.forget(T.plus(Duration.ofDays(31))));
    assertTrue(ward.find(P).isEmpty());
    assertFalse(ward.find("clinic-a/bed-2").isEmpty());
  }

  @Test
  void shouldHoldAPatientInUnderOneKibibyte() {
    int n = 100_000;
    long before = usedAfterGc();
    String[] teams = {"ward-1", "ward-2", "ward-3", "ward-4"};
    for (int i = 0; i < n; i++) {
      String p = "clinic-a/patient-" + i;
      ward.context(p, Scores.context(T, teams[i % teams.length]), 0);
      for (VitalType v :
          List.of(
              VitalType.HEART_RATE,
              VitalType.RESPIRATORY_RATE,
              VitalType.OXYGEN_SATURATION,
              VitalType.SYSTOLIC_BP,
              VitalType.DIASTOLIC_BP,
              VitalType.BODY_TEMPERATURE)) {
        ward.vital(p, reading(v, 80, T), 0);
      }
      ward.score(p, Scores.score(T, 0.2, 3), 0);
      ward.score(p, Scores.score(T.plusSeconds(3600), 0.3, 4), 0);
    }
    ward.flush(); // the pending changes are not part of what is held
    long after = usedAfterGc();
    double perPatient = (after - before) / (double) n;
    System.out.printf("ward overview: %.0f bytes per patient (%d patients)%n", perPatient, n);
    assertEquals(n, ward.size());
    assertTrue(perPatient <= 1024, perPatient + " bytes per patient");
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
