package io.vigil.alerts.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.state.VitalHour;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * An hour of one vital in the vitals-history store: how a reading folds into it (at the boundary of
 * equal measurement times), and its row as the internal Avro record {@link VitalHour}, with a fixed
 * sample written by the first state schema that must stay readable.
 */
class VitalsHistoryRowsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final long AT = 1_767_607_260_000L;

  // The sample hour below as encoded by the first version of the schema (2026-12-02), single-object
  // encoding with the schema's fingerprint. A change to the schema changes the fingerprint: keep
  // the
  // old schema readable (register it with the serde) before updating this.
  private static final String HOUR_V1 =
      "c301dfd91be51016913c00808e420000bf420000bf4280f7d9d9f16606";

  private static VitalHour sample() {
    VitalHour h = VitalsHistory.merge(null, 80, AT);
    h = VitalsHistory.merge(h, 95.5, AT + 60_000);
    return VitalsHistory.merge(h, 71.25, AT - 60_000);
  }

  @Test
  void shouldKeepLowestHighestLatestAndCount() {
    VitalHour h = sample();
    assertEquals(71.25f, h.getMin());
    assertEquals(95.5f, h.getMax());
    assertEquals(95.5f, h.getLast(), "an earlier reading arriving later is not the last");
    assertEquals(AT + 60_000, h.getLastAt());
    assertEquals(3, h.getCount());
    VitalHour same = VitalsHistory.merge(h, 90, AT + 60_000);
    assertEquals(90f, same.getLast(), "a reading at the same time as the last replaces it");
    VitalsHistory.Hour read = VitalsHistory.hour(AT - AT % 3_600_000, h);
    assertEquals(Instant.ofEpochMilli(AT + 60_000), read.lastAt());
    assertEquals(71.25, read.min());
  }

  @Test
  void shouldRoundTripAndReadTheFirstSchemasRow() {
    assertEquals(sample(), VitalsHistory.ROWS.read(VitalsHistory.ROWS.write(sample())));
    assertEquals(sample(), VitalsHistory.ROWS.read(HEX.parseHex(HOUR_V1)));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> VitalsHistory.ROWS.read(new byte[] {7}));
    assertTrue(e.getMessage().contains("VitalHour"), e.getMessage());
  }
}
