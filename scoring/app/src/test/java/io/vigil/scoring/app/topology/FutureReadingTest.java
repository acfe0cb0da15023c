package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A reading produced straight to {@code vitals.observations} with its time and time received both
 * hours ahead of every clock (found by the generated hostile-input property on a real broker, where
 * it failed a stream thread on the same record again and again): it is rejected with its reason and
 * its time never becomes a record timestamp.
 */
class FutureReadingTest {
  private static final PatientKey KEY = new PatientKey("tenant-a", "p-1");

  private static VitalObservation reading(Instant time) {
    VitalObservation o = SampleRecords.observation("r-1", Vital.HEART_RATE, 80, time);
    o.setTimeReceived(time);
    return o;
  }

  @Test
  void shouldRejectAReadingHoursAheadOfTheServicesClockEvenWhenReceivedThen() {
    VitalObservation ahead = reading(Instant.now().plus(Duration.ofHours(2)));
    ObservationValidator.Problem problem = ObservationValidator.check(KEY, ahead);
    assertEquals(RejectionReason.INVALID_VALUE, problem.reason());
    assertTrue(problem.detail().contains("ahead of this service's clock"), problem.detail());
  }

  @Test
  void shouldAcceptAReadingWithinTheClockSkew() {
    assertNull(ObservationValidator.check(KEY, reading(Instant.now().plusSeconds(60))));
  }
}
