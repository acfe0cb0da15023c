package io.vigil.alerts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.state.OpenAlert;
import io.vigil.alerts.state.SeenState;
import io.vigil.alerts.state.VitalHour;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.serde.SchemaRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's state rows as internal Avro records ({@link OpenAlert}, {@link SeenState}): the
 * schema house rules (of every state schema of the module, {@link VitalHour} too), a round trip of
 * every field (set and unset), and a fixed encoded sample of each decoded by the current code, so
 * that a change to a state schema that would make a restoring instance unable to read its
 * changelogs fails here.
 */
class StateRowsTest {
  private static final Path AVRO_ROOT = Path.of("src/main/avro");
  private static final HexFormat HEX = HexFormat.of();

  // The samples below as encoded by the first version of the state schema (2026-12-02),
  // single-object encoding with the schema's fingerprint. A change to the schema changes the
  // fingerprint: keep the old schema readable (register it with the serde) before updating this.
  private static final String OPEN_ALERT_V1 =
      "c3012f8255fbead2f7b506612d3116636c696e69632d612f7031124c53544d5f"
          + "5249534b10434c494e4943414c08484947480c776172642d31041841434b4e4f"
          + "574c454447454406020280f4ee06029a9999999999d93f02100280bab7030408"
          + "0101025839b4c876be9f3f020c425544474554e4a1dedcf16602a4f182ddf166";

  private static final String SEEN_V1 =
      "c301a1c5800024a4282a02e4a1dedcf1660280a4cbd9f166e4a1dedcf166";

  /** An alert with every field set to a value that is not its default. */
  static AlertState sample() {
    AlertState s = new AlertState();
    s.alertId = "a-1";
    s.patient = "clinic-a/p1";
    s.cause = AlertCause.LSTM_RISK;
    s.category = AlertCategory.CLINICAL;
    s.priority = AlertPriority.HIGH;
    s.careTeam = "ward-1";
    s.tier = 2;
    s.status = AlertStatus.ACKNOWLEDGED;
    s.seq = 3;
    s.clearCount = 1;
    s.clearFrom = 7_200_000L;
    s.lstmRisk = 0.4;
    s.news2Total = 8;
    s.windowEnd = 3_600_000L;
    s.revision = 2;
    s.lateReadings = 4;
    s.lateData = true;
    s.cleared = true;
    s.lstmThreshold = 0.031;
    s.lstmThresholdSource = LstmThresholdSource.BUDGET;
    s.notifiedAt = 1_767_610_501_234L;
    s.deadline = 1_767_610_801_234L;
    return s;
  }

  /** A technical alert: no evidence, no deadline, nothing optional set. */
  private static AlertState bare() {
    AlertState s = new AlertState();
    s.alertId = "a-2";
    s.patient = "clinic-a/p2";
    s.cause = AlertCause.READINGS_STOPPED;
    s.category = AlertCategory.TECHNICAL;
    s.priority = AlertPriority.LOW;
    s.careTeam = "unassigned";
    s.notifiedAt = 5L;
    return s;
  }

  private static void assertSameState(AlertState expected, AlertState actual) {
    assertEquals(AlertStateSerde.row(expected), AlertStateSerde.row(actual));
    assertEquals(expected.alertId, actual.alertId);
    assertEquals(expected.cause, actual.cause);
    assertEquals(expected.status, actual.status);
    assertEquals(expected.clearFrom, actual.clearFrom);
    assertEquals(expected.windowEnd, actual.windowEnd);
    assertEquals(expected.deadline, actual.deadline);
    assertEquals(expected.lstmRisk, actual.lstmRisk);
    assertEquals(expected.news2Total, actual.news2Total);
    assertEquals(expected.lstmThreshold, actual.lstmThreshold);
    assertEquals(expected.lstmThresholdSource, actual.lstmThresholdSource);
    assertEquals(expected.cleared, actual.cleared);
    assertEquals(expected.lateData, actual.lateData);
  }

  @Test
  void shouldFollowTheSchemaHouseRules() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(AVRO_ROOT)) {
      files = walk.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
    Map<String, org.apache.avro.Schema> schemas =
        Map.of(
            "OpenAlert", OpenAlert.getClassSchema(),
            "SeenState", SeenState.getClassSchema(),
            "VitalHour", VitalHour.getClassSchema());
    assertEquals(3, files.size(), "state schema files: " + files);
    for (Path file : files) {
      String name = file.getFileName().toString().replace(".avsc", "");
      assertEquals(
          List.of(),
          SchemaRules.check(AVRO_ROOT.relativize(file).toString(), schemas.get(name)),
          name);
    }
  }

  @Test
  void shouldRoundTripEveryFieldSetAndUnset() {
    assertSameState(sample(), AlertStateSerde.read(AlertStateSerde.write(sample())));
    AlertState bare = AlertStateSerde.read(AlertStateSerde.write(bare()));
    assertSameState(bare(), bare);
    assertEquals(0L, bare.deadline(), "no escalation due");
    assertEquals(0L, bare.windowEnd(), "no evidence");
    assertNull(bare.news2Total());
    assertEquals(AlertStatus.OPEN, bare.status());

    assertEquals(SEEN, LastSeen.SERDE.read(LastSeen.SERDE.write(SEEN)));
    LastSeen silencedUnjudged = new LastSeen(LastSeen.SILENCED, LastSeen.NO_WINDOW, 42L);
    assertEquals(silencedUnjudged, LastSeen.SERDE.read(LastSeen.SERDE.write(silencedUnjudged)));
    assertTrue(LastSeen.SERDE.read(LastSeen.SERDE.write(SEEN.silence())).silenced());
  }

  private static final LastSeen SEEN =
      new LastSeen(1_767_610_501_234L, 1_767_607_200_000L, 1_767_610_501_234L);

  @Test
  void shouldDecodeTheRowsWrittenByTheFirstStateSchemas() {
    assertEquals(SEEN, LastSeen.SERDE.read(HEX.parseHex(SEEN_V1)));
    assertSameState(sample(), AlertStateSerde.read(HEX.parseHex(OPEN_ALERT_V1)));
  }

  @Test
  void shouldNameTheRowThatCannotBeRead() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> AlertStateSerde.read(new byte[] {1, 2}));
    assertTrue(e.getMessage().contains("OpenAlert"), e.getMessage());
    byte[] row = AlertStateSerde.write(sample());
    byte[] truncated = Arrays.copyOf(row, row.length - 3);
    e = assertThrows(IllegalStateException.class, () -> AlertStateSerde.read(truncated));
    assertTrue(e.getMessage().contains("OpenAlert"), e.getMessage());
    assertNull(AlertStateSerde.SERDE.deserializer().deserialize("t", null));
    e = assertThrows(IllegalStateException.class, () -> LastSeen.SERDE.read(new byte[] {1}));
    assertTrue(e.getMessage().contains("SeenState"), e.getMessage());
  }
}
