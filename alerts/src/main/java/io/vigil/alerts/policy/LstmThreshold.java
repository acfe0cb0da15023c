package io.vigil.alerts.policy;

import io.vigil.schemas.alerts.LstmThresholdSource;

/**
 * The LSTM threshold one score is judged against, and how it was chosen.
 *
 * @param value calibrated probability in (0, 1]
 * @param source the model bundle's, a configured one, or derived from the team's alert budget
 */
public record LstmThreshold(double value, LstmThresholdSource source) {}
