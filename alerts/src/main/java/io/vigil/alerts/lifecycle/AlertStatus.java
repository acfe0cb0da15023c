package io.vigil.alerts.lifecycle;

/**
 * Where an alert stands; a resolved alert leaves the store (its history stays in alerts.events).
 */
public enum AlertStatus {
  OPEN,
  ACKNOWLEDGED
}
