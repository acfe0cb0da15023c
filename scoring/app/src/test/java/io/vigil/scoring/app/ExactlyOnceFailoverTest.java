package io.vigil.scoring.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.access.Scope;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.ScoringTopology;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Two scoring instances share the work; one is killed (SIGKILL, no shutdown) in the middle of the
 * stream. Afterwards every due window has exactly one committed score: none lost, none repeated.
 * Throughout, the instances' reports on services.status say who scores which partition: each
 * partition by exactly one of them before the kill, all by the survivor after the handover, and a
 * last STOPPED report when the survivor shuts down.
 */
@WithKafka(dedicated = true)
class ExactlyOnceFailoverTest {
  private static final int PATIENTS = 12;
  private static final int HOURS = 10;

  @Test
  void shouldScoreEveryDueWindowExactlyOnceWhenAnInstanceIsKilledMidStream(TestKafka kafka)
      throws Exception {
    long t0 = System.nanoTime();
    String appId = TestKafka.unique("scoring-eos");
    String tenant = TestKafka.unique("eos");
    Path modelDir = Files.createTempDirectory("scoring-model");
    TestModels.untrained(3).save(modelDir);
    Path home = Files.createTempDirectory("scoring-eos-home");
    String readKey = ScoringInstance.addKey(home, tenant, Set.of(Scope.READ));
    String otherTenantKey =
        ScoringInstance.addKey(home, TestKafka.unique("other"), Set.of(Scope.READ));
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_HOME", home.toString());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", appId);
    env.put("SCORING_MODEL_DIR", modelDir.toString());
    env.put("SCORING_IDLE_MINUTES", "1440");
    env.put("KAFKA_STREAMS_SESSION_TIMEOUT_MS", "6000");
    env.put("KAFKA_STREAMS_HEARTBEAT_INTERVAL_MS", "1000");
    env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "200");
    env.put("SCORING_STATUS_INTERVAL_SECONDS", "1");

    Map<String, String> envA = new HashMap<>(env);
    envA.put("SCORING_STATE_DIR", Files.createTempDirectory("scoring-a").toString());
    int portA;
    try (ServerSocket free = new ServerSocket(0)) {
      portA = free.getLocalPort();
    }
    envA.put("PORT", Integer.toString(portA));
    Process instanceA = startProcess(envA);
    Map<String, String> envB = new HashMap<>(env);
    envB.put("SCORING_STATE_DIR", Files.createTempDirectory("scoring-b").toString());

    List<PatientKey> patients = new ArrayList<>();
    for (int i = 0; i < PATIENTS; i++) {
      patients.add(new PatientKey(tenant, "p" + i));
    }
    Instant start = Instant.parse("2025-06-01T00:00:00Z");
    String reporterA = "127.0.0.1:" + portA;
    String reporterB;
    StatusReports reports = new StatusReports(kafka, appId);
    try (reports;
        ScoringInstance instanceB = ScoringInstance.start(envB, TestModels.untrained(3));
        var producer = kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      reporterB = "127.0.0.1:" + instanceB.port();
      // Both members up before any data: the first assignment spreads the (empty) tasks over both.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  instanceB.streams().state() == KafkaStreams.State.RUNNING
                      && body(portA, "/health").contains("\"RUNNING\""));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> splitBetween(reports.latest(), reporterA, reporterB));
      Readings.send(producer, patients, start, 0, HOURS * 60 / 2);
      List<ConsumerRecord<PatientKey, RiskScore>> before =
          kafka.consume(Topics.RISK_SCORES, 24, Duration.ofSeconds(120), r -> ours(r, tenant));
      assertTrue(before.size() >= 24, "scoring started before the kill: " + before.size());
      assertTrue(instanceA.isAlive(), "instance A was running");
      // A owns some patients and has scored some of their windows: it dies mid-stream.
      await().atMost(Duration.ofSeconds(60)).until(() -> windowsScored(portA) > 0);
      // Either instance answers for every patient: B forwards requests for A's patients to A,
      // with the caller's credential, which A checks again.
      List<PatientKey> ofA =
          patients.stream()
              .filter(
                  p ->
                      instanceB
                              .streams()
                              .queryMetadataForKey(
                                  ScoringTopology.SCORES_STORE, p, Topics.PATIENT_KEY.serializer())
                              .activeHost()
                              .port()
                          == portA)
              .toList();
      assertTrue(!ofA.isEmpty() && ofA.size() < PATIENTS, "patients owned by A: " + ofA.size());
      for (PatientKey p : patients) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    body(
                            instanceB.port(),
                            "/api/patients/" + tenant + "/" + p.getPatientId() + "/risk",
                            readKey)
                        .contains("\"windowEnd\""));
      }
      String pathOfA = "/api/patients/" + tenant + "/" + ofA.get(0).getPatientId() + "/risk";
      assertEquals(401, status(instanceB.port(), pathOfA, Map.of()), "anonymous via B");
      assertEquals(
          401,
          status(instanceB.port(), pathOfA, Map.of("X-Vigil-Forwarded", "1")),
          "a request claiming to be forwarded still needs a credential");
      assertEquals(
          401,
          status(portA, pathOfA, Map.of("X-Vigil-Forwarded", "1")),
          "straight to the owner, claiming to be forwarded");
      assertEquals(
          404,
          status(instanceB.port(), pathOfA, Map.of("Authorization", "Bearer " + otherTenantKey)),
          "another tenant's key");

      instanceA.destroyForcibly().waitFor();
      // The survivor takes A's partitions after the session timeout and says so; A said nothing.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> coversAll(reports.latest().get(reporterB)));
      assertEquals("RUNNING", reports.latest().get(reporterA).getState(), "A died without a word");

      Readings.send(producer, patients, start, HOURS * 60 / 2, HOURS * 60);
      // Readings 00:00..09:50 (HOURS 10): every window on the patient's grid (hourly, shifted by
      // the patient's phase) ending after 00:00 whose end plus grace is at most 09:50 is due.
      ScoringConfig config = instanceB.topology();
      Instant lastReading = start.plus(Duration.ofMinutes(HOURS * 60 - 10));
      Map<PatientKey, List<Instant>> due = new HashMap<>();
      for (PatientKey p : patients) {
        due.put(p, Readings.dueEnds(config, p, start, lastReading));
      }
      int expected = due.values().stream().mapToInt(List::size).sum();
      assertTrue(expected >= PATIENTS * (HOURS - 2), "at least 8 windows per patient");
      kafka.consume(Topics.RISK_SCORES, expected, Duration.ofSeconds(150), r -> ours(r, tenant));
      // Once the survivor has committed every input record, nothing more can appear: read the
      // whole committed output and count.
      kafka.awaitCommitted(appId, Duration.ofSeconds(60), Topics.VITALS_OBSERVATIONS.name());
      List<ConsumerRecord<PatientKey, RiskScore>> all = committedScores(kafka, tenant);
      Set<String> windows = new HashSet<>();
      for (var r : all) {
        windows.add(r.key().getPatientId() + "@" + r.value().getWindowEnd());
      }
      assertEquals(expected, windows.size(), "every due window scored");
      assertEquals(expected, all.size(), "no window scored twice");
      for (PatientKey p : patients) {
        for (Instant end : due.get(p)) {
          String w = p.getPatientId() + "@" + end;
          assertTrue(windows.contains(w), "missing " + w);
        }
      }
      instanceB.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "STOPPED".equals(reports.latest().get(reporterB).getState()));
      ServiceStatus last = reports.latest().get(reporterB);
      assertTrue(!last.getProcessing() && last.getActivePartitions().isEmpty(), last.toString());
    } finally {
      instanceA.destroyForcibly();
    }
  }

  /** A's and B's latest reports: both processing, every partition scored by exactly one. */
  private static boolean splitBetween(Map<String, ServiceStatus> latest, String a, String b) {
    ServiceStatus ra = latest.get(a);
    ServiceStatus rb = latest.get(b);
    if (ra == null || rb == null || !ra.getProcessing() || !rb.getProcessing()) {
      return false;
    }
    List<Integer> both = new ArrayList<>(ra.getActivePartitions());
    both.addAll(rb.getActivePartitions());
    return !ra.getActivePartitions().isEmpty()
        && !rb.getActivePartitions().isEmpty()
        && both.size() == Topics.VITALS_OBSERVATIONS.partitions()
        && new HashSet<>(both).size() == both.size()
        && ra.getInputPartitions() == Topics.VITALS_OBSERVATIONS.partitions();
  }

  private static boolean coversAll(ServiceStatus report) {
    return report != null
        && report.getProcessing()
        && report.getActivePartitions().size() == Topics.VITALS_OBSERVATIONS.partitions();
  }

  private static double windowsScored(int port) {
    return body(port, "/metrics")
        .lines()
        .filter(l -> l.startsWith("vigil_scoring_windows_scored_total "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .sum();
  }

  private static String body(int port, String path) {
    return body(port, path, null);
  }

  private static int status(int port, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    headers.forEach(request::header);
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static String body(int port, String path, String bearer) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      return HttpClient.newHttpClient()
          .send(request.build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static List<ConsumerRecord<PatientKey, RiskScore>> committedScores(
      TestKafka kafka, String tenant) {
    List<ConsumerRecord<PatientKey, RiskScore>> result = new ArrayList<>();
    try (var consumer = kafka.consumer(Topics.RISK_SCORES)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Topics.RISK_SCORES.partitions(); p++) {
        partitions.add(new TopicPartition(Topics.RISK_SCORES.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plusSeconds(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && Instant.now().isBefore(deadline)) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (ours(r, tenant)) {
            result.add(r);
          }
        }
      }
    }
    return result;
  }

  private static boolean ours(ConsumerRecord<PatientKey, RiskScore> r, String tenant) {
    return r.key() != null && tenant.equals(r.key().getTenant());
  }

  private static Process startProcess(Map<String, String> env) throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Xmx1g", "-cp", classpath, Application.class.getName());
    builder.environment().putAll(env);
    File log = new File("target/failover-instance-a.log");
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }
}
