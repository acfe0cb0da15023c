package io.vigil.scoring.news2;

import io.vigil.schemas.patients.Consciousness;

/**
 * One observation set for NEWS2: the latest value of each parameter, {@code null} where nothing was
 * measured or reported.
 *
 * @param respirationRate breaths per minute
 * @param spo2 oxygen saturation, percent
 * @param onOxygen true on supplemental oxygen, false on air, null when unknown
 * @param spo2Scale2 true when a clinician prescribed SpO2 scale 2 for this patient
 * @param systolicBp systolic blood pressure, mmHg
 * @param pulse heart rate, per minute
 * @param consciousness latest ACVPU assessment
 * @param temperature body temperature, °C
 */
public record News2Inputs(
    Double respirationRate,
    Double spo2,
    Boolean onOxygen,
    boolean spo2Scale2,
    Double systolicBp,
    Double pulse,
    Consciousness consciousness,
    Double temperature) {}
