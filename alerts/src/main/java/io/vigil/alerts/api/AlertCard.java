package io.vigil.alerts.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.view.AlertSummary;

/**
 * An open alert with its evidence, as the nurse's list shows it; {@code riskUnavailable} says why
 * the evidence cannot be shown now (its {@code risk} is then empty, not a patient without scores).
 */
@Serdeable
public record AlertCard(AlertSummary alert, RiskDetails risk, @Nullable String riskUnavailable) {}
