package io.vigil.ingest.observations;

import java.time.Instant;

/**
 * A reading as a source sent it, already structurally read (strings are strings, the value is a
 * number, the time is an instant) but not yet checked against the catalogue.
 *
 * @param index position in the batch (FHIR: entry index)
 * @param code a Vigil vital name or a LOINC code
 */
public record RawReading(
    int index,
    String id,
    String patientId,
    String deviceId,
    String code,
    double value,
    String unit,
    Instant time) {}
