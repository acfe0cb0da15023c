package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.PolicyBook;
import java.time.Duration;

/**
 * Settings of the lifecycle topology.
 *
 * @param policies alert policy and escalation limits per care team
 * @param fallbackTeam team that receives alerts of patients without a known care team, so that no
 *     alert goes unrouted
 * @param tick how often (wall clock) escalation deadlines are checked
 * @param stoppedCheck how often (wall clock) patients are checked for stopped risk scores
 * @param startupGrace after a start, time allowed to catch up on backlog before stopped readings
 *     are judged (otherwise a restart after downtime would flag every patient)
 * @param riskHistory how much risk-score history is kept per patient, before the newest window, for
 *     the patient view's risk trend (72 h, as the vitals charts); scores are judged only within
 *     {@link #JUDGED_WITHIN} of the newest window, whatever is kept
 * @param actionMemory how long a nurse action's id is remembered to ignore its resends; older ids
 *     are forgotten (checked hourly), so the memory stays bounded
 * @param patientExpiry how long after a patient's last risk score arrived (wall clock) their state
 *     is removed (checked with the stopped readings, every {@code stoppedCheck}, through the {@code
 *     patients-checks} time index): open alerts resolved with a note starting {@value
 *     #EXPIRED_NOTE}, risk trend and last-seen clock deleted; the care-team context stays until the
 *     platform deletes it from patients.context
 */
public record LifecycleConfig(
    PolicyBook policies,
    String fallbackTeam,
    Duration tick,
    Duration stoppedCheck,
    Duration startupGrace,
    Duration riskHistory,
    Duration actionMemory,
    Duration patientExpiry) {

  public static final String SYSTEM_ACTOR = "vigil-alerts";

  /**
   * A score of a window ending longer than this before the patient's newest is too old to judge:
   * scoring revises windows up to 24 h behind a patient's latest reading, so anything older is a
   * replay, not news.
   */
  public static final Duration JUDGED_WITHIN = Duration.ofHours(24);

  /** Start of the note of an alert resolved because its patient's state expired. */
  public static final String EXPIRED_NOTE = "patient state expired";

  public static LifecycleConfig defaults(PolicyBook policies) {
    return new LifecycleConfig(
        policies,
        "unassigned",
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        Duration.ofHours(72),
        Duration.ofDays(7),
        Duration.ofDays(30));
  }

  public LifecycleConfig withFallbackTeam(String team) {
    return new LifecycleConfig(
        policies, team, tick, stoppedCheck, startupGrace, riskHistory, actionMemory, patientExpiry);
  }

  public LifecycleConfig withActionMemory(Duration memory) {
    return new LifecycleConfig(
        policies,
        fallbackTeam,
        tick,
        stoppedCheck,
        startupGrace,
        riskHistory,
        memory,
        patientExpiry);
  }

  public LifecycleConfig withTimers(Duration tick, Duration stoppedCheck, Duration grace) {
    return new LifecycleConfig(
        policies,
        fallbackTeam,
        tick,
        stoppedCheck,
        grace,
        riskHistory,
        actionMemory,
        patientExpiry);
  }

  public LifecycleConfig withPatientExpiry(Duration expiry) {
    return new LifecycleConfig(
        policies,
        fallbackTeam,
        tick,
        stoppedCheck,
        startupGrace,
        riskHistory,
        actionMemory,
        expiry);
  }
}
