package io.vigil.alerts.view;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One alert as the nurse API and the UI show it.
 *
 * <p>{@code lstmRisk}, {@code news2Total}, {@code windowEnd} and {@code revision} are the alert's
 * latest evidence. {@code lateData} is true once any evidence of the alert rested on readings that
 * arrived after their window had closed (a re-scored window or a late first score); {@code
 * lateWindowEnd}, {@code lateRevision} and {@code lateReadings} then describe the newest such
 * window, whose end is the time the data describe, not when the alert was sent.
 *
 * <p>{@code cleared} is true when the condition cleared by itself before anyone acknowledged the
 * alert: a HIGH clinical alert then stays listed (latched) until acknowledged; a resolved alert
 * with it cleared by itself.
 *
 * <p>{@code acknowledgeReason} and {@code outcome} are what the nurse gave when acknowledging and
 * resolving (enum names of AcknowledgeReason and ResolveOutcome), null when none was given.
 */
@Serdeable
public record AlertSummary(
    String alertId,
    String patient,
    String cause,
    String category,
    String priority,
    String careTeam,
    int tier,
    String tierName,
    String status,
    Instant raisedAt,
    Instant notifiedAt,
    String acknowledgedBy,
    Instant acknowledgedAt,
    String resolvedBy,
    Instant resolvedAt,
    Double lstmRisk,
    Integer news2Total,
    Instant windowEnd,
    String lastNote,
    Instant updatedAt,
    Integer revision,
    boolean lateData,
    Instant lateWindowEnd,
    Integer lateRevision,
    Integer lateReadings,
    boolean cleared,
    boolean clearedBySelf,
    Instant listedUntil,
    String acknowledgeReason,
    String outcome) {

  /** The patient's tenant (the patient key's first part); empty for the service's own alerts. */
  public String tenant() {
    int slash = patient.indexOf('/');
    return slash < 0 ? "" : patient.substring(0, slash);
  }

  /**
   * The care team as {@code tenant/team}: the team is named by the tenant, the tenant is the
   * patient's, so a team of the same name elsewhere is another team.
   */
  public String teamKey() {
    return tenant() + "/" + careTeam;
  }

  /** Whether the alert still waits for someone to acknowledge it. */
  public boolean unacknowledged() {
    return open() && acknowledgedBy == null;
  }

  public boolean open() {
    return !"RESOLVED".equals(status);
  }

  public int priorityRank() {
    return switch (priority) {
      case "HIGH" -> 0;
      case "MEDIUM" -> 1;
      default -> 2;
    };
  }
}
