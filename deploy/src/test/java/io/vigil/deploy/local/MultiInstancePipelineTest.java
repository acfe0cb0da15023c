package io.vigil.deploy.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.testing.TestKafka;
import io.vigil.schemas.testing.WithKafka;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.replay.IngestClient;
import io.vigil.scoring.simulator.CohortSimulator;
import io.vigil.scoring.simulator.SimulatedPatient;
import java.io.Closeable;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * More than one of everything, on a three-broker cluster (replication factor 3, min.insync.replicas
 * 2): two ingest, two scoring and two alerts instances, each a JVM of its own as ./vigil up starts
 * them, sharing one VIGIL_HOME (keys, nurse accounts, session secret) but not their state. A ward
 * posts half its patients through each ingest instance. Both alerts instances show the same alert;
 * an acknowledgement through one reaches the nurse's live stream on both; a third scoring instance
 * joins and takes its share of the partitions (the handover is timed) while the others keep
 * standbys. Then the fault suite runs on the same cluster and services (see its test).
 */
@WithKafka(brokers = 3, dedicated = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstancePipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** HIGH alerts escalate this long after the care team was told, unless acknowledged. */
  static final Duration ACK_LIMIT_HIGH = Duration.ofSeconds(20);

  private final List<ServiceProcess> services = new ArrayList<>();
  private Path home;
  private Path work;
  private TestKafka kafka;

  @BeforeAll
  void start(TestKafka kafka, @TempDir Path work) throws Exception {
    this.kafka = kafka;
    this.work = work;
    home = work.resolve("home");
    Files.createDirectories(home);
    Path ingestCp = PipelineEndToEndTest.classpathOf(work, "ingest");
    for (int i = 0; i < 2; i++) {
      start("ingest", "io.vigil.ingest.Application", ingestCp, List.of(), Map.of());
    }
    for (int i = 0; i < 2; i++) {
      startScoring(i);
    }
    Path alertsCp = PipelineEndToEndTest.classpathOf(work, "alerts");
    for (int i = 0; i < 2; i++) {
      start("alerts", "io.vigil.alerts.Application", alertsCp, alertsArgs(i), Map.of());
    }
  }

  private List<String> alertsArgs(int i) {
    return List.of(
        "--vigil.alerts.state-dir=" + work.resolve("alerts-state-" + i),
        "--vigil.alerts.replication-factor=3",
        "--vigil.alerts.policy.ack-limit.high=" + ACK_LIMIT_HIGH.toSeconds() + "s");
  }

  private ServiceProcess startScoring(int i) throws Exception {
    return start(
        "scoring",
        "io.vigil.scoring.app.Application",
        PipelineEndToEndTest.classpathOf(work, "scoring/app"),
        List.of(),
        Map.of(
            "SCORING_STATE_DIR", work.resolve("scoring-state-" + i).toString(),
            "SCORING_REPLICATION_FACTOR", "3",
            "SCORING_STATUS_INTERVAL_SECONDS", "1",
            "SCORING_THREADS", "1",
            "KAFKA_STREAMS_NUM_STANDBY_REPLICAS", "1",
            "KAFKA_STREAMS_REPLICATION_FACTOR", "3",
            "KAFKA_STREAMS_SESSION_TIMEOUT_MS", "6000",
            "KAFKA_STREAMS_HEARTBEAT_INTERVAL_MS", "1000"));
  }

  private ServiceProcess start(
      String name, String main, Path classpath, List<String> args, Map<String, String> env)
      throws Exception {
    ServiceSpec spec =
        new ServiceSpec(name, PipelineEndToEndTest.freePort(), main, classpath, "/health", args);
    ServiceProcess p = ServiceProcess.start(spec, home, kafka.bootstrapServers(), env);
    services.add(p);
    p.awaitReady();
    return p;
  }

  @AfterAll
  void stop() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).stop();
    }
  }

  private List<ServiceProcess> named(String name) {
    return services.stream().filter(s -> s.name().equals(name)).toList();
  }

  private String demo(String key) {
    return Ward.DemoEnv.read(home.resolve("demo.env"), key)
        .orElseThrow(() -> new AssertionError(key + " missing from demo.env"));
  }

  @Test
  @Order(1)
  void twoOfEachServeTheSameWardAndAThirdScoringInstanceTakesItsShare() throws Exception {
    String key = demo("VIGIL_API_KEY");
    Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = now.minus(Duration.ofHours(16));
    List<SimulatedPatient> cohort =
        CohortSimulator.cohort(4, 0.25, start, Duration.ofHours(4), Duration.ofHours(5), 11);
    List<ServiceProcess> ingest = named("ingest");
    long sent = 0;
    for (int i = 0; i < 2; i++) {
      Ward half =
          new Ward(
              new IngestClient(URI.create(ingest.get(i).baseUrl()), key),
              cohort.subList(2 * i, 2 * i + 2));
      half.admit("ward-1");
      sent += half.send(start, now);
    }
    assertTrue(sent > 1000, "sent " + sent);
    for (ServiceProcess i : ingest) {
      assertTrue(
          metric(i, "vigil_ingest_readings_accepted_total") > 400,
          i.baseUrl() + " accepted its half");
    }

    // The same alert, with the same id, in the nurse's list on both alerts instances.
    String sick = cohort.get(0).id();
    List<ServiceProcess> alerts = named("alerts");
    Nurse nurse = new Nurse(demo("VIGIL_NURSE_USER"), demo("VIGIL_NURSE_PASSWORD"));
    String alertId =
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> nurse.alertOf(alerts.get(0), sick), id -> id != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nurse.alertsOf(alerts.get(1), sick).contains(alertId));

    // Acknowledged through the second instance: both instances' live streams carry it.
    List<String> streamA = new CopyOnWriteArrayList<>();
    List<String> streamB = new CopyOnWriteArrayList<>();
    try (Closeable a = nurse.stream(alerts.get(0), streamA);
        Closeable b = nurse.stream(alerts.get(1), streamB)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> ready(streamA) && ready(streamB));
      HttpResponse<String> ack = nurse.acknowledge(alerts.get(1), alertId);
      assertEquals(202, ack.statusCode(), ack.body());
      for (List<String> stream : List.of(streamA, streamB)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    stream.stream()
                        .anyMatch(
                            l -> l.contains(alertId) && l.contains("\"status\":\"ACKNOWLEDGED\"")));
      }
    }

    // Scoring: two instances share the six partitions; a third joins and takes its share.
    try (StatusReader reports = new StatusReader(kafka)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> reports.covering(2));
      Instant joined = Instant.now();
      startScoring(2);
      Duration ready = Duration.between(joined, Instant.now());
      await().atMost(Duration.ofMinutes(2)).until(() -> reports.covering(3));
      Duration handover = Duration.between(joined, Instant.now());
      System.out.printf(
          "third scoring instance: ready after %d ms, scoring its share of the partitions after"
              + " %d ms (three instances, one standby each, three brokers)%n",
          ready.toMillis(), handover.toMillis());
      assertTrue(reports.standbys() >= Topics.VITALS_OBSERVATIONS.partitions(), "one standby each");
    }
    // Any scoring instance answers for any patient (forwarding to the owner).
    for (ServiceProcess s : named("scoring")) {
      for (SimulatedPatient p : cohort) {
        String path =
            "/api/patients/"
                + demo("VIGIL_TENANT")
                + "/"
                + p.id()
                + "/risk?from="
                + start
                + "&to="
                + now;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> get(s, path, key).contains("\"windowEnd\""));
      }
    }
  }

  /**
   * The fault suite. A second ward of six patients, half of them deteriorating, is posted hour by
   * hour of event time through both ingest instances while, in turn: a scoring instance is killed
   * (SIGKILL) and started again, one of the three brokers stops, an alerts instance restarts while
   * HIGH alerts wait for their escalation, and a scoring instance is paused (SIGSTOP) past its
   * session timeout and resumed. Afterwards, reading with read_committed: every reading answered as
   * accepted is on vitals.observations; every due window of every patient has exactly one first
   * score and no revision twice; no alert transition appears twice; every unacknowledged HIGH alert
   * escalated, once per tier; the nurse's live stream saw every alert; the deteriorating patients
   * got alerts and the stable ones no HIGH alert.
   */
  @Test
  @Order(2)
  void throughKilledPausedAndRestartedInstancesAndAStoppedBrokerNothingIsLostOrRepeated()
      throws Exception {
    String key = demo("VIGIL_API_KEY");
    String tenant = demo("VIGIL_TENANT");
    int hours = 10;
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours));
    List<SimulatedPatient> cohort = new ArrayList<>();
    int n = 0;
    for (SimulatedPatient p :
        CohortSimulator.cohort(6, 0.5, start, Duration.ofHours(2), Duration.ofHours(3), 23)) {
      cohort.add(
          new SimulatedPatient(
              "fault-" + n, p.age(), p.sex(), p.monitoringStart(), p.episode(), 100 + n++));
    }
    List<ServiceProcess> ingest = named("ingest");
    for (SimulatedPatient p : cohort) {
      new IngestClient(URI.create(ingest.get(0).baseUrl()), key)
          .putPatient(
              p.id(),
              io.vigil.scoring.replay.ReplayJson.context(
                  "ward-1", (double) p.age(), p.sex(), p.monitoringStart()));
    }
    Nurse nurse = new Nurse(demo("VIGIL_NURSE_USER"), demo("VIGIL_NURSE_PASSWORD"));
    List<String> live = new CopyOnWriteArrayList<>();
    ServiceProcess watched = named("alerts").get(0);
    Set<String> accepted = new HashSet<>();
    List<String> faults = new ArrayList<>();
    try (Closeable stream = nurse.stream(watched, live)) {
      for (int h = 0; h < hours; h++) {
        accepted.addAll(post(ingest.get(h % 2), key, cohort, start.plus(Duration.ofHours(h))));
        switch (h) {
          case 2 -> {
            ServiceProcess victim = alive("scoring").get(0);
            victim.kill();
            services.remove(victim);
            startScoring(0);
            faults.add("scoring instance killed (SIGKILL) and started again");
          }
          case 4 -> {
            kafka.stopBroker(2);
            faults.add("broker 3 of 3 stopped");
          }
          case 6 -> {
            ServiceProcess restarted = named("alerts").get(1);
            restarted.stop();
            services.remove(restarted);
            start(
                "alerts",
                "io.vigil.alerts.Application",
                PipelineEndToEndTest.classpathOf(work, "alerts"),
                alertsArgs(1),
                Map.of());
            faults.add("alerts instance restarted with HIGH alerts awaiting escalation");
          }
          case 8 -> {
            ServiceProcess paused = alive("scoring").get(1);
            signal("STOP", paused);
            Thread.sleep(20_000); // the session timeout is 6 s: its partitions move away
            signal("CONT", paused);
            faults.add("scoring instance paused (SIGSTOP) for 20 s, then resumed");
          }
          default -> {}
        }
      }
      System.out.println("faults, in turn: " + String.join("; ", faults));

      // Every window that closed (ends 1 h .. hours-1 h after the start) is scored for everyone.
      int due = cohort.size() * (hours - 1);
      Map<String, Integer> scores =
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(2))
              .until(() -> scoresOf(tenant), m -> firstScores(m) >= due);
      scores.forEach((window, count) -> assertEquals(1, count, "scored more than once: " + window));
      for (SimulatedPatient p : cohort) {
        for (int h = 1; h < hours; h++) {
          String window = p.id() + "@" + start.plus(Duration.ofHours(h)) + "#0";
          assertTrue(scores.containsKey(window), "never scored: " + window);
        }
      }

      Set<String> onTopic = readingsOf(tenant);
      Set<String> lost = new HashSet<>(accepted);
      lost.removeAll(onTopic);
      assertEquals(Set.of(), lost, "accepted but not on vitals.observations");

      // Every HIGH alert nobody acknowledged escalates, exactly once per tier.
      List<io.vigil.schemas.alerts.AlertEvent> events =
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofSeconds(2))
              .until(() -> eventsOf(tenant), MultiInstancePipelineTest::everyHighEscalated);
      Set<String> eventIds = new HashSet<>();
      Set<String> transitions = new HashSet<>();
      for (var e : events) {
        assertTrue(eventIds.add(e.getEventId()), "event twice: " + e.getEventId());
        String transition =
            e.getAlertId()
                + "|"
                + e.getType()
                + "|"
                + e.getTier()
                + "|"
                + e.getWindowEnd()
                + "|"
                + e.getRevision()
                + "|"
                + e.getActor();
        assertTrue(transitions.add(transition), "transition twice: " + transition);
      }
      Set<String> alertIds = new HashSet<>();
      events.forEach(e -> alertIds.add(e.getAlertId()));
      // Every patient whose NEWS2 reached the alerting threshold (5) got an alert, through all
      // the faults; the stable ones got no HIGH alert.
      Map<String, Integer> news2 = news2MaxOf(tenant);
      int deterioratingAlerted = 0;
      for (SimulatedPatient p : cohort) {
        String patientKey = tenant + "/" + p.id();
        boolean raised =
            events.stream()
                .anyMatch(
                    e -> patientKey.equals(patientOf(e)) && "RAISED".equals(e.getType().name()));
        if (news2.getOrDefault(p.id(), 0) >= 5) {
          assertTrue(raised, "NEWS2 " + news2.get(p.id()) + " but no alert for " + patientKey);
        }
        if (p.episode() != null) {
          deterioratingAlerted += raised ? 1 : 0;
        } else {
          assertTrue(
              events.stream()
                  .noneMatch(
                      e ->
                          patientKey.equals(patientOf(e)) && "HIGH".equals(e.getPriority().name())),
              "a HIGH alert for stable " + patientKey);
        }
      }
      assertTrue(deterioratingAlerted > 0, "no deteriorating patient got an alert");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (String id : alertIds) {
                  assertTrue(
                      live.stream().anyMatch(l -> l.contains(id)),
                      "the live stream never showed " + id);
                }
              });
      System.out.printf(
          "fault suite: %d readings accepted, all on the topic; %d windows scored once each;"
              + " %d alert transitions of %d alerts, none repeated; %d of %d deteriorating"
              + " patients alerted within %d h%n",
          accepted.size(),
          scores.size(),
          events.size(),
          alertIds.size(),
          deterioratingAlerted,
          cohort.stream().filter(p -> p.episode() != null).count(),
          hours);
    }
  }

  private List<ServiceProcess> alive(String name) {
    return named(name).stream().filter(ServiceProcess::alive).toList();
  }

  private static void signal(String signal, ServiceProcess p) throws Exception {
    assertEquals(
        0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
  }

  /**
   * Posts every patient's readings of the hour from {@code from}; answers the ids ingest accepted
   * (answered 200, not listed as rejected). A 503 (Kafka unavailable) is posted again.
   */
  private static Set<String> post(
      ServiceProcess ingest, String key, List<SimulatedPatient> cohort, Instant from)
      throws Exception {
    com.fasterxml.jackson.databind.node.ArrayNode batch = JSON.createArrayNode();
    for (SimulatedPatient p : cohort) {
      for (var r : p.readings(from, from.plus(Duration.ofHours(1)))) {
        var reading = batch.addObject();
        reading.put("id", r.id());
        reading.put("patientId", r.patientId());
        reading.put("code", r.vital().code());
        reading.put("value", r.value());
        reading.put("unit", r.vital().unit());
        reading.put("time", r.time().toString());
      }
    }
    HttpClient http = HttpClient.newHttpClient();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/v1/observations"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 503 && attempt < 20) {
        Thread.sleep(1000);
        continue;
      }
      assertEquals(200, answer.statusCode(), answer.body());
      Set<String> ids = new HashSet<>();
      batch.forEach(r -> ids.add(r.path("id").asText()));
      JSON.readTree(answer.body()).path("rejected").forEach(r -> ids.remove(r.path("id").asText()));
      return ids;
    }
  }

  private java.util.Properties committed() {
    java.util.Properties props = kafka.consumerProperties();
    props.put("isolation.level", "read_committed");
    props.put("group.id", TestKafka.unique("verifier"));
    props.put("auto.offset.reset", "earliest");
    return props;
  }

  /** Every record of {@code topic} now committed, read from the beginning. */
  private <K, V> List<org.apache.kafka.clients.consumer.ConsumerRecord<K, V>> all(
      io.vigil.schemas.topics.TopicSpec<K, V> topic) {
    List<org.apache.kafka.clients.consumer.ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> c =
        new KafkaConsumer<>(
            committed(), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic.name())
          .forEach(i -> parts.add(new TopicPartition(topic.name(), i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      Instant deadline = Instant.now().plusSeconds(60);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && Instant.now().isBefore(deadline)) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static boolean ours(io.vigil.schemas.common.PatientKey k, String tenant) {
    return k != null && tenant.equals(k.getTenant()) && k.getPatientId().startsWith("fault-");
  }

  /** How often each (patient, window end, revision) of the fault ward was scored. */
  private Map<String, Integer> scoresOf(String tenant) {
    Map<String, Integer> counts = new HashMap<>();
    for (var r : all(Topics.RISK_SCORES)) {
      if (ours(r.key(), tenant)) {
        counts.merge(
            r.key().getPatientId() + "@" + r.value().getWindowEnd() + "#" + r.value().getRevision(),
            1,
            Integer::sum);
      }
    }
    return counts;
  }

  /** The highest NEWS2 total of each patient of the fault ward. */
  private Map<String, Integer> news2MaxOf(String tenant) {
    Map<String, Integer> max = new HashMap<>();
    for (var r : all(Topics.RISK_SCORES)) {
      if (ours(r.key(), tenant)) {
        max.merge(r.key().getPatientId(), r.value().getNews2().getTotal(), Math::max);
      }
    }
    return max;
  }

  private static long firstScores(Map<String, Integer> scores) {
    return scores.keySet().stream().filter(k -> k.endsWith("#0")).count();
  }

  private Set<String> readingsOf(String tenant) {
    Set<String> ids = new HashSet<>();
    for (var r : all(Topics.VITALS_OBSERVATIONS)) {
      if (ours(r.key(), tenant)) {
        ids.add(r.value().getReadingId());
      }
    }
    return ids;
  }

  /** The fault ward's alert events; their patients are kept in {@link #patients}. */
  private List<io.vigil.schemas.alerts.AlertEvent> eventsOf(String tenant) {
    List<io.vigil.schemas.alerts.AlertEvent> events = new ArrayList<>();
    for (var r : all(Topics.ALERTS_EVENTS)) {
      if (ours(r.key(), tenant)) {
        patients.put(r.value().getEventId(), tenant + "/" + r.key().getPatientId());
        events.add(r.value());
      }
    }
    return events;
  }

  /** Patient of each event read, by event id. */
  private final Map<String, String> patients = new java.util.concurrent.ConcurrentHashMap<>();

  private String patientOf(io.vigil.schemas.alerts.AlertEvent e) {
    return patients.get(e.getEventId());
  }

  /** True once every HIGH alert without an acknowledgement or resolution has escalated. */
  private static boolean everyHighEscalated(List<io.vigil.schemas.alerts.AlertEvent> events) {
    Map<String, Set<String>> byAlert = new HashMap<>();
    Set<String> high = new HashSet<>();
    for (var e : events) {
      byAlert.computeIfAbsent(e.getAlertId(), k -> new HashSet<>()).add(e.getType().name());
      if ("HIGH".equals(e.getPriority().name())) {
        high.add(e.getAlertId());
      }
    }
    return high.stream()
        .map(byAlert::get)
        .filter(t -> !t.contains("ACKNOWLEDGED") && !t.contains("RESOLVED"))
        .allMatch(t -> t.contains("ESCALATED"));
  }

  private static boolean ready(List<String> stream) {
    return stream.stream().anyMatch(l -> l.contains("ready"));
  }

  private static double metric(ServiceProcess s, String name) throws Exception {
    return get(s, "/metrics", null)
        .lines()
        .filter(l -> l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String get(ServiceProcess s, String path, String bearer) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(s.baseUrl() + path));
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The latest report of every scoring instance on services.status. */
  private static final class StatusReader implements AutoCloseable {
    private final KafkaConsumer<String, ServiceStatus> consumer;
    private final Map<String, ServiceStatus> latest = new HashMap<>();

    StatusReader(TestKafka kafka) {
      consumer = kafka.consumer(Topics.SERVICES_STATUS);
      TopicPartition tp = new TopicPartition(Topics.SERVICES_STATUS.name(), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
    }

    private Map<String, ServiceStatus> read() {
      consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
      latest.values().removeIf(s -> s == null || "STOPPED".equals(s.getState()));
      return latest;
    }

    /** True once exactly {@code n} instances process, each has partitions, all six covered once. */
    boolean covering(int n) {
      List<ServiceStatus> live =
          read().values().stream()
              .filter(s -> s.getProcessing() && !s.getActivePartitions().isEmpty())
              .filter(s -> s.getTime().isAfter(Instant.now().minusSeconds(5)))
              .toList();
      List<Integer> all = new ArrayList<>();
      live.forEach(s -> all.addAll(s.getActivePartitions()));
      return live.size() == n
          && all.size() == Topics.VITALS_OBSERVATIONS.partitions()
          && new HashSet<>(all).size() == all.size();
    }

    int standbys() {
      return read().values().stream().mapToInt(s -> s.getStandbyPartitions().size()).sum();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** A nurse's browser session, the same cookie for both alerts instances (same host). */
  private static final class Nurse {
    private final HttpClient http =
        HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final String user;
    private final String password;
    private String csrf;

    Nurse(String user, String password) {
      this.user = user;
      this.password = password;
    }

    private void signIn(ServiceProcess alerts) throws Exception {
      if (csrf != null) {
        return;
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(alerts.baseUrl() + "/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          JSON.createObjectNode()
                              .put("username", user)
                              .put("password", password)
                              .toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      csrf = json(alerts, "/api/me").path("csrfToken").asText();
    }

    private JsonNode json(ServiceProcess alerts, String path) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(alerts.baseUrl() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path + ": " + r.body());
      return JSON.readTree(r.body());
    }

    /** The id of one of the patient's open alerts in this instance's list, or null. */
    String alertOf(ServiceProcess alerts, String patient) throws Exception {
      List<String> ids = alertsOf(alerts, patient);
      return ids.isEmpty() ? null : ids.get(0);
    }

    /** The ids of the patient's open alerts in this instance's list. */
    List<String> alertsOf(ServiceProcess alerts, String patient) throws Exception {
      signIn(alerts);
      List<String> ids = new ArrayList<>();
      for (JsonNode card : json(alerts, "/api/alerts")) {
        JsonNode alert = card.path("alert");
        if (alert.path("patient").asText().endsWith("/" + patient)) {
          ids.add(alert.path("alertId").asText());
        }
      }
      return ids;
    }

    HttpResponse<String> acknowledge(ServiceProcess alerts, String alertId) throws Exception {
      signIn(alerts);
      return http.send(
          HttpRequest.newBuilder(
                  URI.create(alerts.baseUrl() + "/api/alerts/" + alertId + "/acknowledge"))
              .header("Content-Type", "application/json")
              .header("X-Vigil-Csrf", csrf)
              .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"REVIEWING_PATIENT\"}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    Closeable stream(ServiceProcess alerts, List<String> lines) throws Exception {
      signIn(alerts);
      HttpResponse<Stream<String>> r =
          http.send(
              HttpRequest.newBuilder(URI.create(alerts.baseUrl() + "/api/stream"))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, r.statusCode());
      Thread reader =
          new Thread(
              () -> {
                try {
                  r.body().forEach(lines::add);
                } catch (java.io.UncheckedIOException closed) {
                  // closed by the test
                }
              });
      reader.setDaemon(true);
      reader.start();
      return r.body()::close;
    }
  }
}
