package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.TeamThreshold;

/** The care teams' threshold records (the global store), as the lifecycle core reads them. */
@FunctionalInterface
interface TeamThresholdLookup {
  /** The record of the team with this {@link io.vigil.kit.access.TeamKeys team key}, or null. */
  TeamThreshold find(String teamKey);

  /** No team has a threshold record. */
  TeamThresholdLookup NONE = teamKey -> null;
}
