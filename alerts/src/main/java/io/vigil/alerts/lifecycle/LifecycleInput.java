package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;

/** What can happen to a patient's alerts: one record in, or one tick of a wall clock. */
sealed interface LifecycleInput {

  /**
   * A risk score of the patient.
   *
   * @param score the score
   * @param judged the score of the same window already judged (from the risk history), or null
   */
  record Score(RiskScore score, RiskScore judged) implements LifecycleInput {}

  /** The platform's context of the patient (its care teams), new or changed. */
  record Context(PatientContext context) implements LifecycleInput {}

  /** A nurse's action on one of the patient's alerts, not seen before (resends are dropped). */
  record Action(AlertAction action) implements LifecycleInput {}

  /** A webhook could not deliver an event of one of the patient's alerts. */
  record DeliveryFailed(AlertEvent failed) implements LifecycleInput {}

  /** The escalation deadline {@code dueAt} of the patient's alert of {@code cause} has passed. */
  record DeadlineDue(AlertCause cause, long dueAt) implements LifecycleInput {}

  /** The periodic check whether the patient's risk scores stopped. */
  record ReadingsCheck() implements LifecycleInput {}

  /** The periodic check whether the patient has been silent long enough to be forgotten. */
  record ExpiryCheck() implements LifecycleInput {}
}
