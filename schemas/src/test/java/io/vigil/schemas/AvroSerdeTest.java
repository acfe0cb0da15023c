package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.alerts.AcknowledgeReason;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.ResolveOutcome;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.SchemaVersions;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.vitals.VitalObservation;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final AvroSerde<VitalObservation> serde = AvroSerde.of(VitalObservation.class);

  @Test
  void shouldWriteSingleObjectEncodingWithTheSchemaFingerprint() {
    VitalObservation reading =
        SampleRecords.observation("r1", Vital.HEART_RATE, 72, SampleRecords.T0);
    byte[] bytes = serde.encode(reading);
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    long fingerprint = SchemaNormalization.parsingFingerprint64(VitalObservation.getClassSchema());
    ByteBuffer header = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(fingerprint, header.getLong());
    assertEquals(reading, serde.decode(bytes));
  }

  @Test
  void shouldKeepNullAsTombstone() {
    assertNull(serde.encode(null));
    assertNull(serde.decode(null));
  }

  @Test
  void shouldDecodeDataWrittenWithEveryReleasedSchema() throws Exception {
    for (Schema released : SchemaVersions.released("PatientKey")) {
      GenericRecord old = new GenericData.Record(released);
      old.put("tenant", "clinic-a");
      old.put("patientId", "p-9");
      ByteBuffer bytes =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released)
              .encode(old)
              .asReadOnlyBuffer();
      byte[] raw = new byte[bytes.remaining()];
      bytes.get(raw);
      PatientKey key = AvroSerde.of(PatientKey.class).decode(raw);
      assertEquals(new PatientKey("clinic-a", "p-9"), key);
    }
  }

  @Test
  void shouldExplainBytesThatAreNotSingleObjectEncoded() {
    SerializationException e =
        assertThrows(SerializationException.class, () -> serde.decode("{\"hr\":72}".getBytes()));
    assertTrue(e.getMessage().contains("bad header"), e.getMessage());
  }

  @Test
  void shouldExplainAnUnknownSchemaFingerprint() {
    byte[] bytes =
        serde.encode(SampleRecords.observation("r1", Vital.HEART_RATE, 72, SampleRecords.T0));
    bytes[5] ^= 0x5A;
    SerializationException e =
        assertThrows(SerializationException.class, () -> serde.decode(bytes));
    assertTrue(e.getMessage().startsWith("unknown schema for VitalObservation"), e.getMessage());
  }

  @Test
  void shouldExplainATruncatedDatum() {
    byte[] bytes =
        serde.encode(SampleRecords.observation("r1", Vital.HEART_RATE, 72, SampleRecords.T0));
    byte[] truncated = Arrays.copyOf(bytes, 14);
    SerializationException e =
        assertThrows(SerializationException.class, () -> serde.decode(truncated));
    assertTrue(e.getMessage().startsWith("corrupt VitalObservation datum"), e.getMessage());
  }

  @Test
  void shouldRefuseToEncodeARecordMissingARequiredField() {
    VitalObservation incomplete =
        SampleRecords.observation("r1", Vital.HEART_RATE, 72, SampleRecords.T0);
    incomplete.setUnit(null);
    SerializationException e =
        assertThrows(SerializationException.class, () -> serde.encode(incomplete));
    assertTrue(e.getMessage().startsWith("cannot encode VitalObservation"), e.getMessage());
  }

  @Test
  void shouldReadANurseActionWrittenBeforeReasonsAndOutcomesExistedAsHavingNone() throws Exception {
    Schema v2 = SchemaVersions.released("AlertAction").get(1);
    GenericRecord old = new GenericData.Record(v2);
    old.put("actionId", "a-1");
    old.put("alertId", "alert-1");
    old.put("action", new GenericData.EnumSymbol(v2.getField("action").schema(), "RESOLVE"));
    old.put("actor", "ada");
    old.put("time", 1_700_000_000_000L);
    old.put("note", "seen");
    ByteBuffer bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2)
            .encode(old)
            .asReadOnlyBuffer();
    byte[] raw = new byte[bytes.remaining()];
    bytes.get(raw);
    AlertAction action = AvroSerde.of(AlertAction.class).decode(raw);
    assertEquals("seen", action.getNote());
    assertNull(action.getReason());
    assertNull(action.getOutcome());
  }

  @Test
  void shouldCarryTheNursesReasonAndOutcomeOnActionsAndEvents() {
    AlertAction ack =
        AlertAction.newBuilder()
            .setActionId("a-2")
            .setAlertId("alert-2")
            .setAction(AlertActionType.ACKNOWLEDGE)
            .setActor("ada")
            .setTime(java.time.Instant.ofEpochMilli(1_700_000_000_000L))
            .setReason(AcknowledgeReason.CHECKING_DEVICE)
            .build();
    AvroSerde<AlertAction> actions = AvroSerde.of(AlertAction.class);
    assertEquals(
        AcknowledgeReason.CHECKING_DEVICE, actions.decode(actions.encode(ack)).getReason());
    AlertAction resolve =
        AlertAction.newBuilder(ack)
            .setAction(AlertActionType.RESOLVE)
            .setReason(null)
            .setOutcome(ResolveOutcome.FALSE_ALARM_ARTEFACT)
            .build();
    assertEquals(
        ResolveOutcome.FALSE_ALARM_ARTEFACT, actions.decode(actions.encode(resolve)).getOutcome());
  }

  @Test
  void encodingIsDeterministicSoKeysPartitionStably() {
    AvroSerde<PatientKey> keys = AvroSerde.of(PatientKey.class);
    assertArrayEquals(keys.encode(new PatientKey("t", "p")), keys.encode(new PatientKey("t", "p")));
  }
}
