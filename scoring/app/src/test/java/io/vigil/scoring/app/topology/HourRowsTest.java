package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.HourSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HourRowsTest {
  private static final long T10 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();
  private static final long MIN = 60_000;
  private static final int HR = Vital.HEART_RATE.ordinal();

  private static HourSummary[] bucket(double value, long time) {
    HourSummary[] row = new HourSummary[Vital.values().length];
    HourRows.add(row, HR, HourSummary.of(value, time));
    return row;
  }

  @Test
  void shouldMergeBucketsIntoTheirHourWhateverTheOrder() {
    List<long[]> buckets = List.of(new long[] {0, 81}, new long[] {20, 95}, new long[] {40, 62});
    Map<Long, HourSummary[]> inOrder = new TreeMap<>();
    for (long[] b : buckets) {
      HourRows.mergeInto(inOrder, T10 + b[0] * MIN, bucket(b[1], T10 + b[0] * MIN + 1));
    }
    Map<Long, HourSummary[]> reversed = new TreeMap<>();
    for (long[] b : List.of(buckets.get(2), buckets.get(1), buckets.get(0))) {
      HourRows.mergeInto(reversed, T10 + b[0] * MIN, bucket(b[1], T10 + b[0] * MIN + 1));
    }
    assertEquals(List.of(T10), List.copyOf(inOrder.keySet()));
    assertArrayEquals(inOrder.get(T10), reversed.get(T10));
    HourSummary hr = inOrder.get(T10)[HR];
    assertEquals(3, hr.count());
    assertEquals(62, hr.min());
    assertEquals(95, hr.max());
    assertEquals(62, hr.last(), "the latest reading, at 10:40");
  }

  @Test
  void shouldPutABucketOneMillisecondBeforeTheHourInThatHourAndOneAtItInTheNext() {
    Map<Long, HourSummary[]> hours = new TreeMap<>();
    HourRows.mergeInto(hours, T10 + 60 * MIN - 1, bucket(70, T10 + 60 * MIN - 1));
    HourRows.mergeInto(hours, T10 + 60 * MIN, bucket(71, T10 + 60 * MIN));
    assertEquals(List.of(T10, T10 + 60 * MIN), List.copyOf(hours.keySet()));
  }
}
