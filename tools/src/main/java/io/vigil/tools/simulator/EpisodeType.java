package io.vigil.tools.simulator;

/**
 * Kinds of deterioration the simulator can play, each a set of shifts reached at the end of the
 * ramp (per minute values move linearly from baseline to baseline + shift over the ramp, then
 * stay).
 */
public enum EpisodeType {
  /** Sepsis-like: tachycardia, tachypnoea, fever, falling blood pressure, mild desaturation. */
  SEPSIS(35, 10, -4, 1.8, -35, -20),
  /** Respiratory failure: tachypnoea and marked desaturation, moderate tachycardia. */
  RESPIRATORY(20, 14, -10, 0.5, -5, -3),
  /** Bleeding-like (hypovolaemia): marked tachycardia and hypotension, cool periphery. */
  BLEEDING(45, 6, -1, -0.3, -45, -25);

  final double heartRate;
  final double respiratoryRate;
  final double spo2;
  final double temperature;
  final double systolic;
  final double diastolic;

  EpisodeType(double hr, double rr, double spo2, double temp, double sbp, double dbp) {
    this.heartRate = hr;
    this.respiratoryRate = rr;
    this.spo2 = spo2;
    this.temperature = temp;
    this.systolic = sbp;
    this.diastolic = dbp;
  }
}
