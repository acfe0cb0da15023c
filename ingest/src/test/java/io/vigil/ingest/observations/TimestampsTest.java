package io.vigil.ingest.observations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-25T08:00:00Z",
        "2026-11-25T08:00:00.5Z",
        "2026-11-25T08:00:00.123456789Z",
        "2026-11-25T08:00:00+01:00",
        "2026-11-25T08:00:00.250-05:30",
        "2024-02-29T23:59:59+14:00",
        "2026-11-25T08:00+01:00",
        "1999-12-31T23:59:60Z"
      })
  void shouldAgreeWithTheJdkParser(String text) {
    if (text.contains(":60")) {
      assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text));
      return;
    }
    assertEquals(OffsetDateTime.parse(text).toInstant(), Timestamps.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-25 08:00:00Z",
        "2026-11-25T08:00:00",
        "2026-02-30T08:00:00Z",
        "2026-13-01T08:00:00Z",
        "2026-11-25T24:00:00Z",
        "2026-11-25T08:00:00+0100",
        "yesterday"
      })
  void shouldRejectWhatTheJdkRejects(String text) {
    assertThrows(DateTimeParseException.class, () -> Timestamps.parse(text));
  }

  @Test
  void shouldKeepSubMillisecondPrecision() {
    assertEquals(123_456_789, Timestamps.parse("2026-11-25T08:00:00.123456789Z").getNano());
  }
}
