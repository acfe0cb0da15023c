package io.vigil.alerts.view;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** One transition of an alert, as recorded on alerts.events. */
@Serdeable
public record AlertHistoryEntry(
    String eventId,
    String type,
    String actor,
    Instant time,
    int tier,
    String priority,
    Double lstmRisk,
    Integer news2Total,
    Instant windowEnd,
    Integer revision,
    Boolean lateData,
    String note) {}
