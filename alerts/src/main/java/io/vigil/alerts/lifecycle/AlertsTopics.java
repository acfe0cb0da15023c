package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The alerts service's own topic: alert events whose webhook delivery was given up. */
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

  private AlertsTopics() {}

  /** Every topic the lifecycle reads or writes: the shared catalogue plus the dead letters. */
  public static List<TopicSpec<?, ?>> all() {
    List<TopicSpec<?, ?>> specs = new ArrayList<>(Topics.all());
    specs.add(WEBHOOK_DEAD_LETTER);
    return specs;
  }
}
