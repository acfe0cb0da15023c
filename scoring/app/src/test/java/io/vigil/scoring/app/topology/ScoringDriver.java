package io.vigil.scoring.app.topology;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.Readings;
import io.vigil.scoring.app.TestModels;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The scoring topology in a {@link TopologyTestDriver}, with helpers that speak readings. */
final class ScoringDriver implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  final ScoringConfig config;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> vitals;
  final TestInputTopic<byte[], byte[]> contexts;
  final TestOutputTopic<PatientKey, RiskScore> scores;
  final TestOutputTopic<PatientKey, RejectedObservation> rejected;
  private int nextId;

  ScoringDriver(ScoringConfig config) {
    this(config, ScoringTopology.StoreKind.IN_MEMORY);
  }

  ScoringDriver(ScoringConfig config, ScoringTopology.StoreKind stores) {
    this.config = config;
    // Tenant labels on (the default is off), so tests can read counters per tenant.
    ScoringMetrics metrics = new ScoringMetrics(registry, true);
    Properties props =
        ScoringTopology.streamsConfig("unused:9092", "scoring-test", tempDir(), 1, metrics);
    driver =
        new TopologyTestDriver(
            ScoringTopology.build(
                config, TestModels.untrained(config.windowHours()), metrics, stores),
            props,
            T0);
    ByteArraySerializer bytes = new ByteArraySerializer();
    vitals = driver.createInputTopic(Topics.VITALS_OBSERVATIONS.name(), bytes, bytes);
    contexts = driver.createInputTopic(Topics.PATIENTS_CONTEXT.name(), bytes, bytes);
    scores =
        driver.createOutputTopic(
            Topics.RISK_SCORES.name(),
            Topics.PATIENT_KEY.deserializer(),
            Topics.RISK_SCORES.valueSerde().deserializer());
    rejected =
        driver.createOutputTopic(
            Topics.VITALS_REJECTED.name(),
            Topics.PATIENT_KEY.deserializer(),
            Topics.VITALS_REJECTED.valueSerde().deserializer());
  }

  /**
   * Small windows for tests: W = 3 h, hourly, grace 5 min, idle 10 min, explain from 0.3, every
   * patient's windows ending on the hour (phase 0), so tests can name window ends; {@link
   * WindowPhaseTest} and {@link ArrivalOrderPropertyTest} cover per-patient phases.
   */
  static ScoringConfig smallConfig() {
    return ScoringConfig.defaults().withWindowHours(3).withWindowPhase(WindowPhase.ALIGNED);
  }

  private static String tempDir() {
    try {
      return Files.createTempDirectory("scoring-ttd").toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static PatientKey patient(String id) {
    return new PatientKey("ward-a", id);
  }

  static VitalObservation observation(String readingId, Vital vital, double value, Instant time) {
    return Readings.of(readingId, vital, value, time);
  }

  /** Sends one reading with a fresh reading id and returns that id. */
  String send(PatientKey patient, Vital vital, double value, Instant time) {
    String id = "r" + (nextId++);
    send(patient, observation(id, vital, value, time));
    return id;
  }

  void send(PatientKey patient, VitalObservation observation) {
    vitals.pipeInput(
        Topics.PATIENT_KEY.encode(patient),
        Topics.VITALS_OBSERVATIONS.valueSerde().serializer().serialize(null, observation),
        Instant.now());
  }

  void sendRaw(byte[] key, byte[] value) {
    vitals.pipeInput(key, value, Instant.now());
  }

  void context(PatientKey patient, boolean oxygen, boolean scale2, Consciousness acvpu) {
    PatientContext ctx =
        PatientContext.newBuilder()
            .setCareTeams(List.of("team-1"))
            .setAge(70)
            .setOxygenTherapy(oxygen)
            .setSpo2Scale2(scale2)
            .setConsciousness(acvpu)
            .setConsciousnessTime(null)
            .setUpdatedAt(Instant.now())
            .build();
    contexts.pipeInput(
        Topics.PATIENT_KEY.encode(patient),
        Topics.PATIENTS_CONTEXT.valueSerde().serializer().serialize(null, ctx),
        Instant.now());
  }

  /** Lets the wall-clock punctuation score whatever is due. */
  void flush() {
    driver.advanceWallClockTime(config.flushInterval());
  }

  List<RiskScore> drainScores() {
    flush();
    return scores.readValuesToList();
  }

  KeyValueStore<Bytes, byte[]> store(String name) {
    return driver.getKeyValueStore(name);
  }

  @Override
  public void close() {
    driver.close();
  }
}
