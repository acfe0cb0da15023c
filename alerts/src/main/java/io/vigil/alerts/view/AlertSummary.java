package io.vigil.alerts.view;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** One alert as the nurse API and the UI show it. */
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
    Instant updatedAt) {

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
