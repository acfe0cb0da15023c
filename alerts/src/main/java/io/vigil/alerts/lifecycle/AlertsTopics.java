package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The alerts service's own topics: alert events whose webhook delivery was given up, and the care
 * teams' alert budgets.
 */
public final class AlertsTopics {
  /**
   * Dead letters of webhook delivery (the undelivered event, keyed by patient). The lifecycle reads
   * it to raise a DELIVERY_FAILED technical alert; operators read it to replay deliveries.
   */
  public static final TopicSpec<PatientKey, AlertEvent> WEBHOOK_DEAD_LETTER =
      new TopicSpec<>(
          "alerts.webhooks.dead-letter",
          Topics.PATIENT_KEY,
          AvroSerde.of(AlertEvent.class),
          Topics.PATIENT_PARTITIONS,
          Map.of(
              "cleanup.policy", "delete",
              "retention.ms", Long.toString(30L * 24 * 3600 * 1000),
              "message.timestamp.type", "LogAppendTime"));

  /**
   * Each patient's newly scored windows as seen by its care team's alert budget, keyed by {@code
   * tenant/team}: the lifecycle (partitioned by patient) writes them, the budget (partitioned by
   * team) reads them, so every team's counts are made in one place whatever instance holds its
   * patients. Only teams with a budget get records; kept a day (the budget's own state holds the
   * window).
   */
  public static final TopicSpec<String, BudgetObservation> BUDGET_OBSERVATIONS =
      new TopicSpec<>(
          "alerts.budget.observations",
          Serdes.String(),
          AvroSerde.of(BudgetObservation.class),
          Topics.PATIENT_PARTITIONS,
          Map.of(
              "cleanup.policy", "delete",
              "retention.ms", Long.toString(Duration.ofDays(1).toMillis()),
              "message.timestamp.type", "LogAppendTime"));

  /**
   * The LSTM threshold of every care team with an alert budget ({@link TeamThreshold}), keyed by
   * {@code tenant/team}; compacted, so the latest record of each team is kept. Every instance reads
   * it whole (a global store of the lifecycle, and the team thresholds view of the API).
   */
  public static final TopicSpec<String, TeamThreshold> TEAM_THRESHOLDS =
      new TopicSpec<>(
          "alerts.team-thresholds",
          Serdes.String(),
          AvroSerde.of(TeamThreshold.class),
          1,
          Map.of(
              "cleanup.policy", "compact",
              "message.timestamp.type", "LogAppendTime"));

  private AlertsTopics() {}

  /** Every topic the lifecycle reads or writes: the shared catalogue plus the dead letters. */
  public static List<TopicSpec<?, ?>> all() {
    List<TopicSpec<?, ?>> specs = new ArrayList<>(Topics.all());
    specs.add(WEBHOOK_DEAD_LETTER);
    specs.add(BUDGET_OBSERVATIONS);
    specs.add(TEAM_THRESHOLDS);
    return specs;
  }
}
