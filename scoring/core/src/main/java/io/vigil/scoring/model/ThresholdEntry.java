package io.vigil.scoring.model;

/**
 * One row of the bundle's threshold table: an operating point on the calibrated risk and what it
 * cost and caught on the validation part.
 *
 * @param name identifier, e.g. {@code half-news2-alert-rate}
 * @param threshold alert when calibrated risk is at or above this probability
 * @param description how it was chosen
 * @param alertOnsetsPerPatientDay validation alert onsets (a below-to-above crossing) per 24 h
 * @param septicStaysFlaggedBeforeOnset validation share of septic stays with an alert in the 48 h
 *     before clinical onset (the PhysioNet onset, 6 h after the first positive label)
 */
public record ThresholdEntry(
    String name,
    double threshold,
    String description,
    double alertOnsetsPerPatientDay,
    double septicStaysFlaggedBeforeOnset) {}
