package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TimeFloorTest {
  private static final byte[] PATIENT = "tenant-a/p-1".getBytes(StandardCharsets.UTF_8);

  @Test
  void unknownAfterAStartSoTheFirstScanReadsFromTheFirstKey() {
    TimeFloor floor = new TimeFloor();
    assertTrue(floor.firstKey().compareTo(StateKeys.timePatient(Long.MIN_VALUE, PATIENT)) < 0);
  }

  @Test
  void aPutBelowTheFloorLowersItAndOneAboveLeavesIt() {
    TimeFloor floor = new TimeFloor();
    floor.raise(10_000L);
    floor.lower(12_000L);
    assertEquals(10_000L, floor.time());
    floor.lower(9_999L);
    assertEquals(9_999L, floor.time());
  }

  @Test
  void aScanFromTheFloorReadsEveryKeyAtItsTimeAndNoneBefore() {
    TimeFloor floor = new TimeFloor();
    floor.raise(10_000L);
    assertTrue(floor.firstKey().compareTo(StateKeys.timePatient(10_000L, PATIENT)) < 0);
    assertTrue(floor.firstKey().compareTo(StateKeys.timePatient(9_999L, PATIENT)) > 0);
    // times before 1970 sort below later ones, as the keys encode them
    floor.lower(-1L);
    assertTrue(floor.firstKey().compareTo(StateKeys.timePatient(-1L, PATIENT)) < 0);
    assertTrue(floor.firstKey().compareTo(StateKeys.timePatient(-2L, PATIENT)) > 0);
  }

  @Test
  void aRestartForgetsWhatScansShowed() {
    TimeFloor floor = new TimeFloor();
    floor.raise(Long.MAX_VALUE);
    floor.reset();
    assertEquals(Long.MIN_VALUE, floor.time());
  }
}
