package io.vigil.alerts.ward;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * One patient of the ward overview as the API sends it: the latest value and measurement time of
 * each vital (HR, RR, SpO2, BP systolic and diastolic, Temp, in their canonical units), ACVPU, the
 * last scored window's NEWS2 with its clinical band and the previous window's total, the LSTM risk
 * with the previous window's, the threshold in use and the trend, and the patient's open alerts.
 *
 * @param patient patient key {@code tenant/patientId}
 * @param team care team {@code tenant/team}
 * @param vitals the six vitals in column order; a vital never measured has null value and time
 * @param news2Band {@code low} (0-4), {@code medium} (5-6, or any single parameter scored 3),
 *     {@code high} (7 or more); null before the first score
 * @param riskTrend {@code up}, {@code down} or {@code steady} against the previous window (a move
 *     under one percentage point is steady); null without two risks
 * @param lastReading newest measurement time of any vital
 * @param spo2Scale2 NEWS2 SpO2 scale 2 prescribed (patients.context)
 * @param oxygen on supplemental oxygen (patients.context)
 * @param openAlerts open alerts of the patient for this team
 * @param unacknowledged those nobody has acknowledged yet
 * @param highestPriority highest priority of the open alerts, null without
 * @param escalated whether an open, unacknowledged alert has been escalated
 * @param gone true when the patient left {@code team} (moved to another team, or deleted by the
 *     platform): a live stream's signal to drop the row; every other field is then empty
 */
@Serdeable
public record WardRow(
    String patient,
    String team,
    List<Reading> vitals,
    @Nullable String acvpu,
    @Nullable Instant acvpuAt,
    @Nullable Integer news2,
    @Nullable Integer previousNews2,
    boolean news2Complete,
    boolean singleParameter3,
    @Nullable String news2Band,
    @Nullable Double risk,
    @Nullable Double previousRisk,
    @Nullable Double riskThreshold,
    @Nullable String riskTrend,
    @Nullable Instant windowEnd,
    @Nullable Instant lastReading,
    boolean spo2Scale2,
    boolean oxygen,
    int openAlerts,
    int unacknowledged,
    @Nullable String highestPriority,
    boolean escalated,
    boolean gone) {

  /** Column names of the vitals, as a nurse says them. */
  public static final List<String> VITAL_NAMES =
      List.of("HR", "RR", "SpO2", "BP sys", "BP dia", "Temp");

  /** One vital's latest value (canonical unit) and when it was measured. */
  @Serdeable
  public record Reading(String vital, String unit, @Nullable Double value, @Nullable Instant at) {}

  /**
   * The NEWS2 clinical band (RCP 2017): 0-4 low, 5-6 or a single parameter at 3 medium, 7+ high.
   */
  public static String band(int total, boolean singleParameter3) {
    if (total >= 7) {
      return "high";
    }
    if (total >= 5 || singleParameter3) {
      return "medium";
    }
    return "low";
  }

  /** Risk trend against the previous window: a move under one percentage point is steady. */
  public static String trend(Double risk, Double previous) {
    if (risk == null || previous == null) {
      return null;
    }
    double d = risk - previous;
    return d >= 0.01 ? "up" : d <= -0.01 ? "down" : "steady";
  }

  /** This row with the patient's open alerts for its team. */
  public WardRow withAlerts(int open, int unacked, String highest, boolean escalatedNow) {
    return new WardRow(
        patient,
        team,
        vitals,
        acvpu,
        acvpuAt,
        news2,
        previousNews2,
        news2Complete,
        singleParameter3,
        news2Band,
        risk,
        previousRisk,
        riskThreshold,
        riskTrend,
        windowEnd,
        lastReading,
        spo2Scale2,
        oxygen,
        open,
        unacked,
        highest,
        escalatedNow,
        gone);
  }

  /** The signal that {@code patient} left {@code team}. */
  public static WardRow left(String patient, String team) {
    return new WardRow(
        patient, team, List.of(), null, null, null, null, false, false, null, null, null, null,
        null, null, null, false, false, 0, 0, null, false, true);
  }

  /** A patient of {@code team} of whom nothing but an alert is known. */
  public static WardRow empty(String patient, String team) {
    return new WardRow(
        patient, team, List.of(), null, null, null, null, false, false, null, null, null, null,
        null, null, null, false, false, 0, 0, null, false, false);
  }

  /** The tenant, the patient key's first part. */
  public String tenant() {
    return patient.substring(0, patient.indexOf('/'));
  }

  /**
   * Acuity rank for sorting: an open HIGH alert first, then NEWS2, then LSTM risk, all descending.
   */
  public static int compareAcuity(WardRow a, WardRow b) {
    int high = Boolean.compare("HIGH".equals(b.highestPriority), "HIGH".equals(a.highestPriority));
    if (high != 0) {
      return high;
    }
    int news2 = Integer.compare(b.news2 == null ? -1 : b.news2, a.news2 == null ? -1 : a.news2);
    if (news2 != 0) {
      return news2;
    }
    int risk = Double.compare(b.risk == null ? -1 : b.risk, a.risk == null ? -1 : a.risk);
    return risk != 0 ? risk : a.patient.compareTo(b.patient);
  }
}
