package io.vigil.alerts.api;

import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.view.AlertSummary;

/** An open alert with its evidence, as the nurse's list shows it. */
@Serdeable
public record AlertCard(AlertSummary alert, RiskDetails risk) {}
