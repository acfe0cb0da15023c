package io.vigil.ingest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The route label of {@code vigil_ingest_request_duration_seconds}: an operator's dashboard splits
 * requests by it, so every endpoint lands in its family and no label carries a patient id.
 */
class RequestTimerTest {
  @Test
  void shouldLabelEveryEndpointByItsFamily() {
    assertEquals("observations", RequestTimer.route("/v1/observations"));
    assertEquals("patients", RequestTimer.route("/v1/patients"), "the bulk context upload");
    assertEquals("patients", RequestTimer.route("/v1/patients/bed-12/context"));
    assertEquals("fhir", RequestTimer.route("/fhir/Observation"));
    assertEquals("health", RequestTimer.route("/health"));
    assertEquals("metrics", RequestTimer.route("/metrics"));
    assertEquals("other", RequestTimer.route("/v1/patientsX"));
    assertEquals("other", RequestTimer.route("/health/liveness"));
    assertEquals("other", RequestTimer.route("/"));
  }
}
