package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.serde.SchemaRules;
import io.vigil.scoring.app.state.BucketState;
import io.vigil.scoring.app.state.ClockState;
import io.vigil.scoring.app.state.DueState;
import io.vigil.scoring.app.state.HistoryState;
import io.vigil.scoring.features.HourSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The topology's state rows as internal Avro records: the schema house rules, a round trip of each
 * row, and a fixed encoded sample of each decoded by the current code, so that a change to a state
 * schema that would make a restoring instance unable to read its changelogs fails here.
 */
class StateRowsTest {
  private static final Path AVRO_ROOT = Path.of("src/main/avro");
  private static final HexFormat HEX = HexFormat.of();
  private static final int HR = Vital.HEART_RATE.ordinal();
  private static final int SPO2 = Vital.OXYGEN_SATURATION.ordinal();
  private static final int MAP = Vital.MEAN_BP.ordinal();

  // The sample rows below as encoded by the first version of the state schemas (2026-12-02),
  // single-object encoding with the schema's fingerprint. A change to a schema changes the
  // fingerprint: keep the old schema readable (register it with the serde) before updating these.
  private static final String BUCKET_V1 =
      "c3019c07f7ee3fca97380204c0abafa70100000000000054400000000000e057"
          + "400000000000e0574080f7d9d9f16600020280e9c05c00000000004058400000"
          + "0000004058400000000000405840c0cdd2d9f166000000020280c5d858000000"
          + "00004057400000000000405740000000000040574080a4cbd9f1660601234567"
          + "89abcdefffffffffffffffff800000000000000000";
  private static final String HISTORY_V1 =
      "c3012450307f750128010280de82ddf1660280bebadbe8660480ea93d6f16602"
          + "04c0abafa70100000000000054400000000000e057400000000000e0574080f7"
          + "d9d9f16600020280e9c05c000000000040584000000000004058400000000000"
          + "405840c0cdd2d9f166000000020280c5d8580000000000405740000000000040"
          + "5740000000000040574080a4cbd9f16680a4cbd9f1660204c0abafa701000000"
          + "00000054400000000000e057400000000000e0574080f7d9d9f16600020280e9"
          + "c05c000000000040584000000000004058400000000000405840c0cdd2d9f166"
          + "000000020280c5d8580000000000405740000000000040574000000000004057"
          + "4080a4cbd9f16600";
  private static final String CLOCK_V1 =
      "c301008745229221a4ee02c08ededcf166028098bae0f1660280de82ddf166e4" + "a1dedcf16600a0d19601";
  private static final String DUE_V1 =
      "c301eea2ae47a9c6762be4a1dedcf1660104041468656172745f726174652062"
          + "6f64795f74656d706572617475726500";

  private static HourSummary[] sampleRow() {
    HourSummary[] row = new HourSummary[Vital.values().length];
    HourRows.add(row, HR, HourSummary.of(80, 1_767_607_260_000L));
    HourRows.add(row, HR, HourSummary.of(95.5, 1_767_607_320_000L));
    HourRows.add(row, SPO2, HourSummary.of(97, 1_767_607_260_000L));
    HourRows.add(row, MAP, HourSummary.of(93, 1_767_607_200_000L));
    return row;
  }

  private static BucketRow sampleBucket() {
    BucketRow bucket = BucketRow.decode(null);
    System.arraycopy(sampleRow(), 0, bucket.summaries(), 0, Vital.values().length);
    bucket.count(0x0123_4567_89AB_CDEFL);
    bucket.count(-1L);
    bucket.count(Long.MIN_VALUE);
    return bucket;
  }

  private static WindowHistory sampleHistory() {
    WindowHistory history = WindowHistory.empty();
    history.merge(1_767_603_600_000L, sampleRow());
    history.merge(1_767_607_200_000L, sampleRow());
    history.mergedThrough(1_767_610_800_000L);
    history.scoresFrom(1_766_401_200_000L);
    return history;
  }

  private static final PatientClock CLOCK =
      new PatientClock(
          1_767_610_500_000L,
          1_767_614_400_000L,
          1_767_610_800_000L,
          1_767_610_501_234L,
          PatientClock.NONE,
          1_234_000L);

  private static final DueEntry DUE =
      DueEntry.revised(1_767_610_501_234L, Vital.HEART_RATE)
          .withLateReading(Vital.BODY_TEMPERATURE);

  @Test
  void shouldFollowTheSchemaHouseRules() throws IOException {
    List<String> violations = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(AVRO_ROOT)) {
      files = walk.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
    Map<String, Schema> known =
        Map.of(
            "BucketState", BucketState.getClassSchema(),
            "HistoryState", HistoryState.getClassSchema(),
            "ClockState", ClockState.getClassSchema(),
            "DueState", DueState.getClassSchema());
    for (Path file : files) {
      String name = file.getFileName().toString().replace(".avsc", "");
      Schema schema =
          known.containsKey(name)
              ? known.get(name)
              : BucketState.getClassSchema().getField("summaries").schema().getName().equals(name)
                  ? BucketState.getClassSchema().getField("summaries").schema()
                  : findNamed(name);
      violations.addAll(SchemaRules.check(AVRO_ROOT.relativize(file).toString(), schema));
    }
    assertEquals(8, files.size(), "state schema files: " + files);
    assertEquals(List.of(), violations);
  }

  private static Schema findNamed(String name) {
    Schema bucket = BucketState.getClassSchema();
    Schema row = bucket.getField("summaries").schema();
    Schema vital = row.getField(Vital.HEART_RATE.code()).schema().getTypes().get(1);
    Schema hash = bucket.getField("readingHashes").schema().getElementType();
    Schema slot = HistoryState.getClassSchema().getField("hours").schema().getElementType();
    for (Schema s : List.of(vital, hash, slot)) {
      if (s.getName().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no generated schema named " + name);
  }

  @Test
  void shouldHaveAnHourRowFieldForEveryVital() {
    HourSummary[] every = new HourSummary[Vital.values().length];
    for (Vital vital : Vital.values()) {
      HourRows.add(every, vital.ordinal(), HourSummary.of(vital.ordinal() + 1, 1_000L));
    }
    assertArrayEquals(every, StateRows.summaries(StateRows.row(every)));
  }

  @Test
  void shouldRoundTripEveryRow() {
    BucketRow bucket = BucketRow.decode(sampleBucket().encode());
    assertArrayEquals(sampleRow(), bucket.summaries());
    assertTrue(bucket.counted(0x0123_4567_89AB_CDEFL));
    assertTrue(bucket.counted(-1L));
    assertTrue(bucket.counted(Long.MIN_VALUE));
    assertFalse(bucket.counted(0L));
    assertArrayEquals(
        new HourSummary[Vital.values().length],
        BucketRow.decode(BucketRow.decode(null).encode()).summaries());

    WindowHistory history = WindowHistory.decode(sampleHistory().encode());
    assertHistory(sampleHistory(), history);
    WindowHistory empty = WindowHistory.decode(WindowHistory.empty().encode());
    assertEquals(WindowHistory.NONE, empty.mergedThrough());
    assertEquals(WindowHistory.NONE, empty.scoresFrom());
    assertTrue(empty.hours().isEmpty());

    assertEquals(CLOCK, PatientClock.decode(CLOCK.encode()));
    PatientClock fresh = PatientClock.starting(3_599_000L);
    assertEquals(fresh, PatientClock.decode(fresh.encode()));

    assertEquals(DUE, DueEntry.decode(DUE.encode()));
    assertEquals(DueEntry.closed(42), DueEntry.decode(DueEntry.closed(42).encode()));
  }

  private static void assertHistory(WindowHistory expected, WindowHistory actual) {
    assertEquals(expected.mergedThrough(), actual.mergedThrough());
    assertEquals(expected.scoresFrom(), actual.scoresFrom());
    assertEquals(expected.hours().keySet(), actual.hours().keySet());
    for (Long hour : expected.hours().keySet()) {
      assertArrayEquals(expected.hours().get(hour), actual.hours().get(hour), "hour " + hour);
    }
  }

  @Test
  void shouldDecodeRowsWrittenByTheFirstStateSchemas() {
    BucketRow bucket = BucketRow.decode(HEX.parseHex(BUCKET_V1));
    assertArrayEquals(sampleRow(), bucket.summaries());
    assertTrue(bucket.counted(0x0123_4567_89AB_CDEFL));
    assertTrue(bucket.counted(Long.MIN_VALUE));
    assertHistory(sampleHistory(), WindowHistory.decode(HEX.parseHex(HISTORY_V1)));
    assertEquals(CLOCK, PatientClock.decode(HEX.parseHex(CLOCK_V1)));
    assertEquals(DUE, DueEntry.decode(HEX.parseHex(DUE_V1)));
  }

  @Test
  void shouldNameTheRowThatCannotBeRead() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> PatientClock.decode(new byte[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("ClockState"), e.getMessage());
    byte[] due = DUE.encode();
    byte[] truncated = java.util.Arrays.copyOf(due, due.length - 3);
    e = assertThrows(IllegalStateException.class, () -> DueEntry.decode(truncated));
    assertTrue(e.getMessage().contains("DueState"), e.getMessage());
    assertNull(DueEntry.decode(null));
  }
}
