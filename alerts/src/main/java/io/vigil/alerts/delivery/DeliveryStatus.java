package io.vigil.alerts.delivery;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** Where the webhook delivery of one alert event stands. */
@Serdeable
public record DeliveryStatus(
    String eventId,
    String alertId,
    String eventType,
    String careTeam,
    String state,
    int attempts,
    String lastError,
    Instant updatedAt) {}
