package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.physionet.StayWindows;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * PhysioNet 2019 fixture stays replayed through the live topology with the shipped model get, for
 * every hourly row, the same LSTM risk as the offline reader's window of that row: live and offline
 * features are the same.
 */
class PhysioNetReplayTest {
  private static final Path STAYS = Path.of("../core/src/test/resources/physionet2019/stays");

  @Test
  void shouldScoreEveryReplayedRowAsTheOfflineReaderDoes() throws Exception {
    ModelBundle bundle = ModelBundle.loadDefault();
    // The offline reader's windows end on the hour of the stay's rows: phase 0 to compare them.
    ScoringConfig config =
        ScoringConfig.defaults()
            .withWindowHours(bundle.windowHours())
            .withWindowPhase(WindowPhase.ALIGNED);
    Instant start = Instant.parse("2026-11-10T07:00:00Z");
    List<PhysioNetStay> stays = PhysioNetReader.read(STAYS).stays();
    ScoringMetrics metrics = new ScoringMetrics(new PrometheusRegistry());
    Properties props =
        ScoringTopology.streamsConfig(
            "unused:9092", "replay", Files.createTempDirectory("replay").toString(), 1, metrics);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    Map<String, Double> live = new HashMap<>();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            ScoringTopology.build(config, bundle, metrics, ScoringTopology.StoreKind.IN_MEMORY),
            props,
            start)) {
      ByteArraySerializer bytes = new ByteArraySerializer();
      TestInputTopic<byte[], byte[]> vitals =
          driver.createInputTopic(Topics.VITALS_OBSERVATIONS.name(), bytes, bytes);
      TestInputTopic<byte[], byte[]> contexts =
          driver.createInputTopic(Topics.PATIENTS_CONTEXT.name(), bytes, bytes);
      TestOutputTopic<PatientKey, RiskScore> scores =
          driver.createOutputTopic(
              Topics.RISK_SCORES.name(),
              Topics.PATIENT_KEY.deserializer(),
              Topics.RISK_SCORES.valueSerde().deserializer());
      for (PhysioNetStay stay : stays) {
        byte[] key = Topics.PATIENT_KEY.encode(new PatientKey("physionet", stay.id()));
        contexts.pipeInput(
            key,
            Topics.PATIENTS_CONTEXT
                .valueSerde()
                .serializer()
                .serialize(
                    null,
                    PatientContext.newBuilder()
                        .setAge(stay.age() == null ? null : (int) Math.floor(stay.age()))
                        .setSex(stay.sex())
                        .setMonitoringStart(start)
                        .setUpdatedAt(start)
                        .build()));
        int n = 0;
        for (PhysioNetStay.Reading r : stay.readings(start)) {
          VitalObservation o =
              VitalObservation.newBuilder()
                  .setReadingId(stay.id() + "-" + n++)
                  .setSourceId("physionet-replay")
                  .setVital(VitalType.valueOf(r.vital().name()))
                  .setLoinc(r.vital().loinc())
                  .setValue(r.value())
                  .setUnit(r.vital().unit())
                  .setTime(r.time())
                  .setTimeReceived(r.time())
                  .build();
          vitals.pipeInput(
              key, Topics.VITALS_OBSERVATIONS.valueSerde().serializer().serialize(null, o));
        }
      }
      // Trailing windows close by partition time once every stay has gone quiet.
      driver.advanceWallClockTime(config.idleTimeout().plusMinutes(1));
      for (var record : scores.readKeyValuesToList()) {
        live.put(
            record.key.getPatientId() + "@" + record.value.getWindowEnd(),
            record.value.getLstmRisk());
      }
    }

    WindowAssembler assembler = new WindowAssembler(bundle.windowHours());
    PhysioNetStay longest =
        stays.stream().max(java.util.Comparator.comparingInt(x -> x.rows().size())).orElseThrow();
    int compared = 0;
    int missing = 0;
    for (PhysioNetStay stay : stays) {
      Double age = stay.age() == null ? null : Math.floor(stay.age());
      List<PatientWindow> offline = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (PhysioNetStay.Row row : stay.rows()) {
        Instant end = PhysioNetStay.windowEnd(start, row.iculos());
        offline.add(
            assembler.assemble(end, StayWindows.buckets(stay, start), age, stay.sex(), start));
        ids.add(stay.id() + "@" + end);
      }
      double[] risk = bundle.scorer().score(offline);
      for (int i = 0; i < ids.size(); i++) {
        Double scored = live.get(ids.get(i));
        if (scored == null) {
          // A window without any reading is not scored live (nothing to score).
          boolean empty = true;
          for (io.vigil.schemas.Vital v : io.vigil.schemas.Vital.values()) {
            empty &= offline.get(i).observedHours(v) == 0;
          }
          if (!empty) {
            // Only the end of the stay that ends last may stay open: after its last reading no
            // record moves event time past those windows (they close when more data arrives).
            assertEquals(longest, stay, ids.get(i) + " not scored");
            assertTrue(i >= stay.rows().size() - bundle.windowHours(), ids.get(i) + " not scored");
            missing++;
          }
          continue;
        }
        assertEquals(risk[i], scored, 1e-6, ids.get(i));
        compared++;
      }
    }
    assertTrue(missing < bundle.windowHours(), "rows without a live score: " + missing);
    assertTrue(compared > 100, "rows compared: " + compared);
  }
}
