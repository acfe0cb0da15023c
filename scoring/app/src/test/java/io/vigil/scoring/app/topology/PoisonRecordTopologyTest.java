package io.vigil.scoring.app.topology;

import static io.vigil.scoring.app.topology.ScoringDriver.T0;
import static io.vigil.scoring.app.topology.ScoringDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Records written straight to the input topics that break the rules, and failures while processing
 * one record: each becomes a dead letter with a specific reason, detail and origin, is counted, and
 * the stream goes on; what is not one record's fault stops the task instead.
 */
class PoisonRecordTopologyTest {
  private static final PatientKey ANNA = patient("anna");
  private static final PatientKey BEN = patient("ben");

  private static Instant at(int hour, int minute) {
    return T0.plus(Duration.ofHours(hour).plusMinutes(minute));
  }

  private static VitalObservation reading(String id, Instant time) {
    return ScoringDriver.observation(id, Vital.HEART_RATE, 80, time);
  }

  private static VitalObservation.Builder readingBuilder(String id, Instant time) {
    return VitalObservation.newBuilder(reading(id, time));
  }

  @Test
  void shouldRejectIdentifiersBreakingTheRulesNamingFieldAndRuleAndKeepScoring() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(new PatientKey("ward-a", "p".repeat(10_000)), reading("k1", at(10, 0)));
      d.send(new PatientKey("ward/a", "anna"), reading("k2", at(10, 0)));
      // Beyond the 64 KiB a state-store key can hold.
      d.send(new PatientKey("ward-a", "q".repeat(70_000)), reading("k3", at(10, 0)));
      d.send(ANNA, readingBuilder("r".repeat(300), at(10, 0)).build());
      d.send(ANNA, readingBuilder("k5", at(10, 0)).setSourceId("platform 1").build());
      d.send(ANNA, readingBuilder("k6", at(10, 0)).setDeviceId("gerät-7").build());
      PatientContext context = SampleRecords.context();
      d.contexts.pipeInput(
          Topics.PATIENT_KEY.encode(new PatientKey("ward-a", "c".repeat(10_000))),
          Topics.PATIENTS_CONTEXT.valueSerde().serializer().serialize(null, context),
          Instant.now());

      List<TestRecord<PatientKey, RejectedObservation>> records = d.rejected.readRecordsToList();
      List<RejectedObservation> rejected = records.stream().map(TestRecord::value).toList();
      assertEquals(7, rejected.size(), rejected.toString());
      for (RejectedObservation r : rejected) {
        assertEquals(RejectionReason.INVALID_VALUE, r.getReason(), r.getDetail());
        assertTrue(r.getDetail().length() < 200, "no long echo of the value: " + r.getDetail());
        assertEquals(0, r.getPartition());
        assertTrue(r.getKey() != null && r.getValue() != null, "raw bytes kept");
      }
      assertDetail(rejected.get(0), "key: patientId 'ppp", "is 10000 characters long; at most 128");
      assertDetail(rejected.get(1), "key: tenant contains '/'", "at position 5");
      assertDetail(rejected.get(2), "key: patientId 'qqq", "is 70000 characters long; at most 128");
      assertDetail(rejected.get(3), "readingId 'rrr", "is 300 characters long; at most 128");
      assertDetail(rejected.get(4), "sourceId contains white space", "at position 9");
      assertDetail(rejected.get(5), "deviceId contains a non-ASCII character", "at position 4");
      assertDetail(rejected.get(6), "key: patientId 'ccc", "is 10000 characters long; at most 128");
      for (int i = 0; i < 6; i++) {
        assertEquals(Topics.VITALS_OBSERVATIONS.name(), rejected.get(i).getTopic());
        assertEquals(i, rejected.get(i).getOffset(), "offset of the record on its topic");
      }
      assertEquals(Topics.PATIENTS_CONTEXT.name(), rejected.get(6).getTopic());
      assertEquals(0, rejected.get(6).getOffset());
      // A dead letter is keyed by the patient only when the key is not what is wrong.
      assertNull(records.get(0).key());
      assertNull(records.get(2).key());
      assertEquals(ANNA, records.get(3).key());
      assertEquals(7.0, counter(d, "INVALID_VALUE"));
      try (KeyValueIterator<Bytes, byte[]> contexts =
          d.store(ScoringTopology.CONTEXT_STORE).all()) {
        assertTrue(!contexts.hasNext(), "no context stored under a key breaking the rules");
      }

      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 0));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 5));
      assertEquals(1, d.drainScores().size());
      assertTrue(d.rejected.isEmpty());
    }
  }

  @Test
  void shouldKeepDeadLettersOfHugeRecordsWithinBounds() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      byte[] key = Topics.PATIENT_KEY.encode(new PatientKey("ward-a", "p".repeat(300_000)));
      d.sendRaw(
          key,
          Topics.VITALS_OBSERVATIONS
              .valueSerde()
              .serializer()
              .serialize(null, reading("h", at(10, 0))));
      RejectedObservation r = d.rejected.readValue();
      assertEquals(RejectionReason.INVALID_VALUE, r.getReason());
      assertEquals(Rejections.RAW_LIMIT, r.getKey().remaining());
      assertTrue(
          r.getDetail()
              .endsWith(
                  "; key kept as its first "
                      + Rejections.RAW_LIMIT
                      + " of "
                      + key.length
                      + " bytes (the whole record is at the origin)"),
          r.getDetail());
    }
  }

  @Test
  void shouldNotLetRecordsBreakingTheIdentifierRulesMoveStreamTime() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 30));
      // Measured hours later than Anna's reading, received on time, but with ids breaking the
      // rules.
      d.send(new PatientKey("ward-a", "p".repeat(200)), reading("f1", at(15, 0)));
      d.send(BEN, readingBuilder("f".repeat(200), at(15, 0)).build());
      assertEquals(2, d.rejected.readValuesToList().size());
      d.driver.advanceWallClockTime(Duration.ofMinutes(11));
      assertTrue(
          d.scores.readValuesToList().isEmpty(), "stream time stayed at Anna's 10:30 reading");

      d.send(BEN, Vital.HEART_RATE, 80, at(15, 0));
      d.driver.advanceWallClockTime(Duration.ofMinutes(11));
      assertEquals(
          List.of(at(11, 0), at(12, 0), at(13, 0)),
          d.scores.readValuesToList().stream().map(RiskScore::getWindowEnd).toList(),
          "a valid reading at 15:00 moves stream time and closes Anna's silent windows");
    }
  }

  @Test
  void shouldTakeThePartitionTimeForRecordsTheIntakeRejects() {
    ObservationTimeExtractor extractor = new ObservationTimeExtractor();
    byte[] value =
        Topics.VITALS_OBSERVATIONS
            .valueSerde()
            .serializer()
            .serialize(null, reading("t", at(9, 0)));
    assertEquals(
        at(9, 0).toEpochMilli(),
        extractor.extract(raw(Topics.PATIENT_KEY.encode(ANNA), value), 42L));
    for (byte[] key :
        List.of(
            Topics.PATIENT_KEY.encode(new PatientKey("ward-a", "p".repeat(10_000))),
            Topics.PATIENT_KEY.encode(new PatientKey("", "anna")),
            "not a key".getBytes(StandardCharsets.UTF_8))) {
      assertEquals(42L, extractor.extract(raw(key, value), 42L));
    }
    byte[] badReading =
        Topics.VITALS_OBSERVATIONS
            .valueSerde()
            .serializer()
            .serialize(null, readingBuilder("r".repeat(129), at(9, 0)).build());
    assertEquals(42L, extractor.extract(raw(Topics.PATIENT_KEY.encode(ANNA), badReading), 42L));
    assertEquals(
        42L,
        extractor.extract(
            raw(Topics.PATIENT_KEY.encode(ANNA), new byte[] {(byte) 0xC3, 1, 9, 9, 9}), 42L));
    assertEquals(0L, extractor.extract(raw(null, value), -1L), "never negative");
  }

  @Test
  void shouldDeadLetterARecordItsProcessorFailsOnAndGoOn() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      corruptClock(d, BEN);
      VitalObservation bens = reading("b1", at(10, 0));
      d.send(BEN, bens);
      TestRecord<PatientKey, RejectedObservation> dead = d.rejected.readRecord();
      RejectedObservation r = dead.value();
      assertEquals(RejectionReason.OTHER, r.getReason());
      assertEquals(
          "processing failed in windows: java.lang.IllegalStateException: unreadable state row:"
              + " not an Avro single-object encoded ClockState (bad header: Not enough header"
              + " bytes)",
          r.getDetail());
      assertEquals(BEN, dead.key());
      assertEquals(Topics.VITALS_OBSERVATIONS.name(), r.getTopic());
      assertEquals(0, r.getOffset());
      assertEquals(
          bens, Topics.VITALS_OBSERVATIONS.valueSerde().deserializer().deserialize(null, bytes(r)));
      assertEquals(1.0, counter(d, "OTHER"));

      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 0));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 5));
      assertEquals(1, d.drainScores().size(), "the other patients are scored");
      assertTrue(d.rejected.isEmpty());
    }
  }

  @Test
  void shouldStopTheTaskInsteadOfDeadLetteringWhenRecordAfterRecordFails() {
    int limit = RecordGuard.CONSECUTIVE_FAILURE_LIMIT;
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      corruptClock(d, BEN);
      for (int i = 0; i < limit; i++) {
        d.send(BEN, Vital.HEART_RATE, 80, at(10, i));
      }
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 0));
      for (int i = 0; i < limit; i++) {
        d.send(BEN, Vital.HEART_RATE, 80, at(11, i));
      }
      assertEquals(2 * limit, d.rejected.readValuesToList().size(), "Anna's reading reset the run");
      assertThrows(StreamsException.class, () -> d.send(BEN, Vital.HEART_RATE, 80, at(12, 0)));
      assertTrue(d.rejected.isEmpty(), "the failing record is not dead-lettered");
      assertEquals(2.0 * limit, counter(d, "OTHER"));
    }
  }

  @Test
  void shouldFailRatherThanSkipWhenScoringDueWindowsMeetsCorruptState() {
    try (ScoringDriver d = new ScoringDriver(ScoringDriver.smallConfig())) {
      d.send(ANNA, Vital.HEART_RATE, 80, at(10, 0));
      d.send(ANNA, Vital.HEART_RATE, 80, at(11, 5));
      d.store(ScoringTopology.DUE_STORE)
          .put(
              StateKeys.timePatient(at(11, 0).toEpochMilli(), StateKeys.patient(BEN)), new byte[5]);
      assertThrows(StreamsException.class, d::flush);
    }
  }

  @Test
  void shouldCountRecordsTheSourcesCannotDeserialise() {
    PrometheusRegistry registry = new PrometheusRegistry();
    StreamsConfig config =
        new StreamsConfig(
            ScoringTopology.streamsConfig(
                "unused:9092", "handler-test", "/tmp", 1, new ScoringMetrics(registry)));
    DeserializationExceptionHandler handler = config.deserializationExceptionHandler();
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(Topics.VITALS_OBSERVATIONS.name(), 3, 17L, new byte[] {1}, null);
    assertEquals(
        DeserializationExceptionHandler.DeserializationHandlerResponse.CONTINUE,
        handler.handle(
            context(record), record, new SerializationException("unknown schema for X: ...")));
    handler.handle(context(record), record, new IllegalStateException("broken"));
    assertEquals(1.0, counter(registry, "UNKNOWN_SCHEMA"));
    assertEquals(1.0, counter(registry, "UNDECODABLE"));
  }

  private static void assertDetail(RejectedObservation r, String start, String rule) {
    assertTrue(r.getDetail().startsWith(start), r.getDetail());
    assertTrue(r.getDetail().contains(rule), r.getDetail());
  }

  private static void corruptClock(ScoringDriver d, PatientKey patient) {
    d.store(ScoringTopology.CLOCKS_STORE)
        .put(Bytes.wrap(StateKeys.patient(patient)), new byte[] {1, 2, 3});
  }

  private static byte[] bytes(RejectedObservation r) {
    byte[] out = new byte[r.getValue().remaining()];
    r.getValue().duplicate().get(out);
    return out;
  }

  private static ConsumerRecord<Object, Object> raw(byte[] key, byte[] value) {
    return new ConsumerRecord<>(Topics.VITALS_OBSERVATIONS.name(), 0, 0L, key, value);
  }

  private static double counter(ScoringDriver d, String reason) {
    return counter(d.registry, reason);
  }

  private static double counter(PrometheusRegistry registry, String reason) {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("vigil_scoring_records_rejected"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(p -> reason.equals(p.getLabels().get("reason")))
        .mapToDouble(p -> p.getValue())
        .sum();
  }

  private static ErrorHandlerContext context(ConsumerRecord<byte[], byte[]> record) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return record.topic();
      }

      @Override
      public int partition() {
        return record.partition();
      }

      @Override
      public long offset() {
        return record.offset();
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return ScoringTopology.VITALS_SOURCE;
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, record.partition());
      }

      @Override
      public long timestamp() {
        return record.timestamp();
      }

      @Override
      public byte[] sourceRawKey() {
        return record.key();
      }

      @Override
      public byte[] sourceRawValue() {
        return record.value();
      }
    };
  }
}
