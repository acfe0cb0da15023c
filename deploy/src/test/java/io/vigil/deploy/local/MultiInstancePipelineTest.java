package io.vigil.deploy.local;

import static io.vigil.deploy.local.PipelineService.ALERTS;
import static io.vigil.deploy.local.PipelineService.INGEST;
import static io.vigil.deploy.local.PipelineService.SCORING;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.patients.Sex;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.news2.News2Bands;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import io.vigil.tools.replay.IngestClient;
import io.vigil.tools.simulator.CohortSimulator;
import io.vigil.tools.simulator.Episode;
import io.vigil.tools.simulator.EpisodeType;
import io.vigil.tools.simulator.SimulatedPatient;
import io.vigil.tools.simulator.SimulatedReading;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * standbys. Then a second ward goes through the faults a hospital will see, one after another, and
 * everything committed is checked for loss and repetition (see the fault test).
 */
@WithKafka(brokers = 3, dedicated = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstancePipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** HIGH alerts escalate this long after the care team was told, unless acknowledged. */
  static final Duration ACK_LIMIT_HIGH = Duration.ofSeconds(20);

  private final List<ServiceProcess> services = new ArrayList<>();

  /** Every instance started, including the killed and replaced ones, for their logs. */
  private final List<ServiceProcess> started = new ArrayList<>();

  private Path home;
  private Path work;
  private Path classpaths;
  private TestKafka kafka;

  @BeforeAll
  void start(TestKafka kafka, @TempDir Path work) throws Exception {
    this.kafka = kafka;
    this.work = work;
    home = work.resolve("home");
    Files.createDirectories(home);
    classpaths = PipelineEndToEndTest.classpaths(work, INGEST, SCORING, ALERTS);
    for (int i = 0; i < 2; i++) {
      start(INGEST, List.of(), Map.of());
    }
    for (int i = 0; i < 2; i++) {
      startScoring(i);
    }
    for (int i = 0; i < 2; i++) {
      start(ALERTS, alertsArgs(i), Map.of());
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
        SCORING,
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

  private ServiceProcess start(PipelineService service, List<String> args, Map<String, String> env)
      throws Exception {
    ServiceSpec spec =
        service.spec(classpaths).withPort(PipelineEndToEndTest.freePort()).withArgs(args);
    ServiceProcess p = ServiceProcess.start(spec, home, kafka.bootstrapServers(), env);
    services.add(p);
    started.add(p);
    p.awaitReady();
    return p;
  }

  @AfterAll
  void stop() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).stop();
    }
  }

  private List<ServiceProcess> named(PipelineService service) {
    return services.stream().filter(s -> s.name().equals(service.serviceName())).toList();
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
    List<ServiceProcess> ingest = named(INGEST);
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
    List<ServiceProcess> alerts = named(ALERTS);
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
    for (ServiceProcess s : named(SCORING)) {
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

  /** Hours of the fault ward; one hour of readings is posted between faults. */
  static final int FAULT_HOURS = 12;

  /**
   * The faults a hospital will see, one after another while a ward posts through both ingest
   * instances: a scoring instance killed (SIGKILL), a broker stopped, an alerts instance restarted
   * while escalations are due, a scoring instance frozen (SIGSTOP) past its session timeout and let
   * run again. Afterwards, reading everything committed: every reading ingest answered 2xx is on
   * vitals.observations; every due window of every patient has exactly one first score; every
   * alert's events are there once each, in sequence, escalations once per tier; the nurse's live
   * stream (on the alerts instance that stayed up) saw each alert's final state; the deteriorating
   * patients were alerted and the stable ones not.
   */
  @Test
  @Order(2)
  void throughKillsAStoppedBrokerARestartAndAFreezeNothingIsLostOrDoubled() throws Exception {
    String key = demo("VIGIL_API_KEY");
    Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = now.minus(Duration.ofHours(FAULT_HOURS));
    List<SimulatedPatient> ward = new ArrayList<>();
    long seed = 90;
    for (int i = 0; i < 6; i++) {
      Episode episode =
          i < 2
              ? new Episode(
                  i == 0 ? EpisodeType.SEPSIS : EpisodeType.RESPIRATORY,
                  start.plus(Duration.ofHours(2)),
                  Duration.ofHours(4))
              : null;
      SimulatedPatient p;
      do {
        p =
            new SimulatedPatient(
                "fault-" + i,
                55 + 5 * i,
                i % 2 == 0 ? Sex.FEMALE : Sex.MALE,
                start,
                episode,
                seed++);
        // A stable patient is one whose every reading scores at most 1 NEWS2 point: a single
        // reading of 3 rightly raises a single-parameter alert, whatever the window grid.
      } while (episode == null && anyReadingScoresThree(p, start, now));
      ward.add(p);
    }
    List<ServiceProcess> ingest = named(INGEST);
    List<Ward> halves = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Ward half =
          new Ward(
              new IngestClient(URI.create(ingest.get(i).baseUrl()), key),
              ward.subList(3 * i, 3 * i + 3));
      half.admit("ward-1");
      halves.add(half);
    }
    Set<String> accepted = new HashSet<>();
    Map<String, Instant> lastReading = new HashMap<>();
    Nurse nurse = new Nurse(demo("VIGIL_NURSE_USER"), demo("VIGIL_NURSE_PASSWORD"));
    ServiceProcess steady = named(ALERTS).get(1);
    List<String> live = new CopyOnWriteArrayList<>();
    try (Closeable stream = nurse.stream(steady, live)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> ready(live));
      for (int h = 0; h < FAULT_HOURS; h++) {
        Instant from = start.plus(Duration.ofHours(h));
        Instant to = from.plus(Duration.ofHours(1));
        for (int i = 0; i < 2; i++) {
          List<SimulatedReading> readings = new ArrayList<>();
          for (SimulatedPatient p : ward.subList(3 * i, 3 * i + 3)) {
            readings.addAll(p.readings(from, to));
          }
          long answered = halves.get(i).send(from, to);
          assertEquals(readings.size(), answered, "every reading of hour " + h + " accepted");
          for (SimulatedReading r : readings) {
            accepted.add(r.id());
            lastReading.merge(r.patientId(), r.time(), (a, b) -> a.isAfter(b) ? a : b);
          }
        }
        fault(h, nurse);
      }

      // Every reading answered 2xx is on vitals.observations.
      Set<String> onTopic = new HashSet<>();
      for (var r : readAll(Topics.VITALS_OBSERVATIONS)) {
        if (r.key().getPatientId().startsWith("fault-")) {
          onTopic.add(r.value().getReadingId());
        }
      }
      Set<String> lost = new HashSet<>(accepted);
      lost.removeAll(onTopic);
      assertEquals(Set.of(), lost, "readings answered 2xx but not on vitals.observations");

      // Every due window of every patient has exactly one first score.
      Duration grace = Duration.ofMinutes(5);
      Duration cadence = Duration.ofMinutes(60);
      Instant scoredBy = Instant.now().plus(Duration.ofMinutes(3));
      Map<String, List<Instant>> firstScores = firstScoresOfTheFaultWard();
      Map<String, List<Instant>> unscored = new HashMap<>();
      while (true) {
        unscored.clear();
        for (SimulatedPatient p : ward) {
          List<Instant> missing =
              unscoredDueWindows(firstScores.get(p.id()), lastReading.get(p.id()), grace, cadence);
          if (!missing.isEmpty()) {
            unscored.put(p.id(), missing);
          }
        }
        if (unscored.isEmpty() || Instant.now().isAfter(scoredBy)) {
          break;
        }
        Thread.sleep(3_000);
        firstScores = firstScoresOfTheFaultWard();
      }
      assertEquals(
          Map.of(),
          unscored,
          "due windows without a score (last readings "
              + lastReading
              + ", scored "
              + firstScores
              + ")");
      for (SimulatedPatient p : ward) {
        List<Instant> ends = firstScores.get(p.id());
        assertEquals(
            new HashSet<>(ends).size(), ends.size(), p.id() + ": a window scored twice: " + ends);
      }

      // Every alert's events once each and in sequence; escalations once per tier.
      Map<String, List<AlertEvent>> byAlert = new HashMap<>();
      Map<String, String> patientOf = new HashMap<>();
      for (var r : readAll(Topics.ALERTS_EVENTS)) {
        if (r.key().getPatientId().startsWith("fault-")) {
          byAlert.computeIfAbsent(r.value().getAlertId(), k -> new ArrayList<>()).add(r.value());
          patientOf.put(r.value().getAlertId(), r.key().getPatientId());
        }
      }
      for (Map.Entry<String, List<AlertEvent>> alert : byAlert.entrySet()) {
        List<String> ids = alert.getValue().stream().map(e -> e.getEventId()).toList();
        List<String> expected = new ArrayList<>();
        for (int seq = 1; seq <= ids.size(); seq++) {
          expected.add(alert.getKey() + "/" + seq);
        }
        assertEquals(expected, ids, "the alert's events, once each, in order");
        List<Integer> tiers =
            alert.getValue().stream()
                .filter(e -> e.getType() == AlertEventType.ESCALATED)
                .map(AlertEvent::getTier)
                .toList();
        for (int t = 0; t < tiers.size(); t++) {
          assertEquals(t + 1, tiers.get(t), alert.getKey() + ": escalations " + tiers);
        }
      }

      long escalations =
          byAlert.values().stream()
              .flatMap(List::stream)
              .filter(e -> e.getType() == AlertEventType.ESCALATED)
              .count();
      assertTrue(escalations > 0, "the unacknowledged HIGH alert escalated");
      long windows = firstScores.values().stream().mapToLong(List::size).sum();
      System.out.printf(
          "fault ward: %d readings accepted and on vitals.observations, %d windows scored once"
              + " each, %d alerts with %d events (%d escalations), none lost or repeated%n",
          accepted.size(),
          windows,
          byAlert.size(),
          byAlert.values().stream().mapToLong(List::size).sum(),
          escalations);
      for (ServiceProcess service : services) {
        System.out.printf(
            "fault ward: %s printed %d ERROR lines%n",
            service.name(), service.output().stream().filter(l -> l.contains(" ERROR ")).count());
      }

      // The nurse's live stream saw every alert reach the state it is in now.
      for (Map.Entry<String, List<AlertEvent>> alert : byAlert.entrySet()) {
        List<AlertEvent> events = alert.getValue();
        AlertEvent last = events.get(events.size() - 1);
        String status = statusAfter(events);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    live.stream()
                        .anyMatch(
                            l ->
                                l.contains(alert.getKey())
                                    && l.contains("\"status\":\"" + status + "\"")
                                    && l.contains("\"tier\":" + last.getTier() + ",")));
      }

      // The deteriorating were alerted, the stable were not.
      Set<String> alerted = new HashSet<>();
      List<String> causes = new ArrayList<>();
      for (List<AlertEvent> events : byAlert.values()) {
        AlertEvent first = events.get(0);
        if (first.getCategory() == AlertCategory.CLINICAL) {
          alerted.add(patientOf.get(first.getAlertId()));
          causes.add(
              patientOf.get(first.getAlertId())
                  + " "
                  + first.getCause()
                  + " (NEWS2 "
                  + first.getNews2Total()
                  + ", LSTM "
                  + first.getLstmRisk()
                  + ", window "
                  + first.getWindowEnd()
                  + ")");
        }
      }
      assertEquals(
          Set.of("fault-0", "fault-1"), alerted, "patients with clinical alerts: " + causes);
    }
  }

  /**
   * Whether any of the patient's readings in [from, to) scores 2 or more NEWS2 points on its own: a
   * stable patient has none, so neither a single parameter of 3 nor a total of 5 can occur.
   */
  static boolean anyReadingScoresThree(SimulatedPatient p, Instant from, Instant to) {
    for (SimulatedReading r : p.readings(from, to)) {
      int points =
          switch (r.vital()) {
            case HEART_RATE -> News2Bands.pulse(r.value());
            case RESPIRATORY_RATE -> News2Bands.respirationRate(r.value());
            case OXYGEN_SATURATION -> News2Bands.spo2Scale1(r.value());
            case SYSTOLIC_BP -> News2Bands.systolicBp(r.value());
            case BODY_TEMPERATURE -> News2Bands.temperature(r.value());
            default -> 0;
          };
      if (points >= 2) {
        return true;
      }
    }
    return false;
  }

  /**
   * Everything every instance printed through both runs above (start-up, the kill, the stopped
   * broker, the restart and the freeze) holds no secret and no patient data beyond the patient key.
   * The demo banner is the one place a demo credential may show, once, on first start.
   */
  @Test
  @Order(3)
  void theLogsOfTheWholeRunHoldNoSecretAndNoPatientDataBeyondTheKey() throws Exception {
    Map<String, List<String>> logs = new java.util.LinkedHashMap<>();
    for (int i = 0; i < started.size(); i++) {
      logs.put(started.get(i).name() + "-" + i, started.get(i).output());
    }
    Map<String, String> secrets =
        Map.of(
            "the platform's API key", demo("VIGIL_API_KEY"),
            "the nurse's password", demo("VIGIL_NURSE_PASSWORD"),
            "the session signing secret",
                Files.readString(home.resolve("alerts").resolve("jwt-secret")).strip());
    List<LogScan.Finding> found =
        LogScan.scan(logs, secrets, Map.of("a reading's device id", "sim-wearable"));
    assertEquals(List.of(), found, "lines that should not be in the logs");
    long lines = logs.values().stream().mapToLong(List::size).sum();
    logs.forEach(
        (instance, log) ->
            assertTrue(
                log.stream().anyMatch(l -> l.contains("Startup completed in")),
                "the log of " + instance + " was read from its start: " + log.size() + " lines"));
    assertTrue(
        logs.values().stream().flatMap(List::stream).anyMatch(l -> l.contains("shown only now")),
        "the demo banner was there, and its credential allowed only there");
    System.out.printf("log scan: %d lines of %d instances, no finding%n", lines, logs.size());
  }

  /** The fault to inject after hour {@code h} of the ward has been posted. */
  private void fault(int h, Nurse nurse) throws Exception {
    switch (h) {
      case 3 -> {
        ServiceProcess victim = named(SCORING).get(0);
        victim.kill();
        services.remove(victim);
        System.out.println("fault: scoring instance killed (SIGKILL)");
      }
      case 5 -> {
        kafka.stopBroker(2);
        System.out.println("fault: broker 3 of 3 stopped");
      }
      case 7 -> {
        // An unacknowledged HIGH alert escalates every ACK_LIMIT_HIGH: whatever deadline comes due
        // while the instance restarts must fire once.
        Instant until = Instant.now().plus(Duration.ofMinutes(3));
        while (!nurse.openHighUnacknowledged(named(ALERTS).get(1), "fault-")) {
          assertTrue(
              Instant.now().isBefore(until),
              "no unacknowledged HIGH alert of the fault ward; the list: "
                  + nurse.json(named(ALERTS).get(1), "/api/alerts"));
          Thread.sleep(2_000);
        }
        ServiceProcess old = named(ALERTS).get(0);
        old.stop();
        services.remove(old);
        start(ALERTS, alertsArgs(0), Map.of());
        System.out.println("fault: alerts instance restarted with a HIGH alert unacknowledged");
      }
      case 9 -> {
        ServiceProcess frozen = named(SCORING).get(0);
        frozen.pause();
        Thread.sleep(15_000); // past its 6 s session timeout: its partitions move
        frozen.resume();
        System.out.println("fault: scoring instance frozen 15 s (SIGSTOP) and resumed");
      }
      default -> {
        // no fault after this hour
      }
    }
  }

  /** Revision 0 scores of the fault ward's patients: window ends by patient, in log order. */
  private Map<String, List<Instant>> firstScoresOfTheFaultWard() {
    Map<String, List<Instant>> ends = new HashMap<>();
    for (var r : readAll(Topics.RISK_SCORES)) {
      String patient = r.key().getPatientId();
      if (patient.startsWith("fault-") && r.value().getRevision() == 0) {
        ends.computeIfAbsent(patient, k -> new ArrayList<>()).add(r.value().getWindowEnd());
      }
    }
    return ends;
  }

  /**
   * The windows due by the patient's last reading (end plus grace before it) that have no first
   * score: from the first window scored on, one per cadence; all of them when none was scored.
   */
  static List<Instant> unscoredDueWindows(
      List<Instant> ends, Instant lastReading, Duration grace, Duration cadence) {
    if (ends == null || ends.isEmpty()) {
      return List.of(lastReading);
    }
    Instant first = ends.stream().min(Instant::compareTo).orElseThrow();
    Set<Instant> scored = new HashSet<>(ends);
    List<Instant> missing = new ArrayList<>();
    for (Instant e = first; e.plus(grace).isBefore(lastReading); e = e.plus(cadence)) {
      if (!scored.contains(e)) {
        missing.add(e);
      }
    }
    return missing;
  }

  /** The alert's status in the nurse's list after these events. */
  private static String statusAfter(List<AlertEvent> events) {
    String status = "RAISED";
    for (AlertEvent e : events) {
      switch (e.getType()) {
        case ACKNOWLEDGED -> status = "ACKNOWLEDGED";
        case ESCALATED -> status = "ACKNOWLEDGED".equals(status) ? status : "ESCALATED";
        case RESOLVED -> status = "RESOLVED";
        default -> {
          // RAISED, NOTIFIED, UPDATED leave the status
        }
      }
    }
    return status;
  }

  /** Every committed record of the topic, to its end. */
  private <K, V> List<ConsumerRecord<K, V>> readAll(TopicSpec<K, V> topic) {
    List<ConsumerRecord<K, V>> all = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = kafka.consumer(topic)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertTrue(
            Instant.now().isBefore(deadline), "could not read " + topic.name() + " to its end");
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
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
      HttpResponse<String> r = NurseSignIn.post(http, URI.create(alerts.baseUrl()), user, password);
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

    /** Whether a HIGH alert of a patient whose id starts with the prefix waits for someone. */
    boolean openHighUnacknowledged(ServiceProcess alerts, String prefix) throws Exception {
      signIn(alerts);
      for (JsonNode card : json(alerts, "/api/alerts")) {
        JsonNode alert = card.path("alert");
        String patient = alert.path("patient").asText();
        if (patient.substring(patient.indexOf('/') + 1).startsWith(prefix)
            && "HIGH".equals(alert.path("priority").asText())
            && !alert.hasNonNull("acknowledgedBy")
            && !"RESOLVED".equals(alert.path("status").asText())) {
          return true;
        }
      }
      return false;
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
