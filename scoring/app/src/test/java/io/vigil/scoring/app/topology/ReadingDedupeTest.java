package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.Readings;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingDedupeTest {
  private final ReadingDedupe dedupe = new ReadingDedupe();

  @Test
  void shouldRejectTheSameReadingFromTheSameSourceAtAnEqualTimestampOnly() {
    Instant t = Instant.parse("2026-01-05T10:00:00Z");
    VitalObservation first = Readings.of("r-1", Vital.HEART_RATE, 80, t);
    VitalObservation again = Readings.of("r-1", Vital.HEART_RATE, 80, t);
    VitalObservation other = Readings.of("r-2", Vital.HEART_RATE, 80, t);
    BucketRow row = BucketRow.decode(null);
    assertTrue(ReadingDedupe.admit(row, dedupe.hash(first)));
    assertFalse(ReadingDedupe.admit(row, dedupe.hash(again)), "same source and reading id");
    assertTrue(ReadingDedupe.admit(row, dedupe.hash(other)), "another reading at the same time");
    assertFalse(
        ReadingDedupe.admit(BucketRow.decode(row.encode()), dedupe.hash(again)),
        "kept in the stored row");
  }

  @Test
  void shouldTellSourcesApartEvenWhenTheirIdsConcatenateAlike() {
    assertNotEquals(dedupe.hash("ab", "c"), dedupe.hash("a", "bc"));
    assertNotEquals(dedupe.hash("watch-1", "r-1"), dedupe.hash("watch-2", "r-1"));
    assertEquals(dedupe.hash("watch-1", "r-1"), new ReadingDedupe().hash("watch-1", "r-1"));
  }
}
