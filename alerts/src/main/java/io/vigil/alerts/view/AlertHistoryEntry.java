package io.vigil.alerts.view;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One transition of an alert, as recorded on alerts.events: {@code reason} is the nurse's reason on
 * an acknowledgement, {@code outcome} the outcome she gave on a resolution (enum names of
 * AcknowledgeReason and ResolveOutcome), null otherwise.
 */
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
    String note,
    String reason,
    String outcome) {}
