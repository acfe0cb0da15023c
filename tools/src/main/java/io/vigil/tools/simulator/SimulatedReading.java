package io.vigil.tools.simulator;

import io.vigil.schemas.Vital;
import java.time.Instant;

/**
 * One simulated wearable reading, in the vital's canonical unit.
 *
 * @param id reading id, unique per patient and stable across runs with the same seed
 */
public record SimulatedReading(
    String id, String patientId, Vital vital, double value, Instant time) {}
