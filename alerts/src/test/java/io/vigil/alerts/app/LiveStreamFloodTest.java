package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static io.vigil.alerts.app.AlertsApp.CAROL;
import static io.vigil.alerts.app.AlertsApp.CAROL_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.Scores;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A nurse's live stream whose client stops reading while the ward is busy (the start-up flood of a
 * large ward, a tab asleep): the whole service on a real broker, a real HTTP connection whose
 * reader holds back, nurses signed in.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStreamFloodTest {
  /** Distinct alerts and patients a stream may have waiting; low here, 50,000 by default. */
  private static final int MAX_PENDING = 40;

  private static final int PATIENTS = 10;
  private static final int ROUNDS = 150;
  private static final int FLOOD_ALERTS = 5;

  /** Changes per flooding alert: 30,000 in all, more than a stream could once fall behind. */
  private static final int CHANGES = 6_000;

  private final String tenant = TestKafka.unique("flood");
  private AlertsApp app;
  private TestKafka kafka;
  private JsonMapper json;
  private final Map<String, Map<?, ?>> parsed = new HashMap<>();

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    this.kafka = kafka;
    app = AlertsApp.start(kafka, tenant, Map.of("vigil.alerts.live.max-pending", MAX_PENDING));
    json = app.context.getBean(JsonMapper.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new Browserless(app.base).get("/health").statusCode() == 200);
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  @Order(1)
  void shouldSendAReaderThatFellBehindEveryAlertsAndPatientsFinalStateWithoutEndingItsStream()
      throws Exception {
    Instant t0 = Instant.now().minus(Duration.ofHours(1));
    Map<PatientKey, Object> contexts = new LinkedHashMap<>();
    for (int p = 0; p < PATIENTS; p++) {
      contexts.put(patient(p), Scores.context(t0, "ward-1"));
    }
    PatientKey sick = PatientKeys.of(tenant, "p-sick");
    contexts.put(sick, Scores.context(t0, "ward-1"));
    produceContexts(contexts);
    app.awaitLifecycleCaughtUp(kafka);

    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
    try (SlowSseReader stream = SlowSseReader.open(app.base, ada.cookieHeader())) {
      assertTrue(stream.readUntil(ev -> has(ev, "ready"), Duration.ofSeconds(10)), "ready first");
      // From here Ada's client reads nothing until the ward has settled.

      produceAlertFlood(t0);
      produceReadings(t0);
      kafka.produce(Topics.RISK_SCORES, Map.of(sick, Scores.score(t0.plusSeconds(3600), 0.9, 8)));
      Browserless carol = new Browserless(app.base);
      assertEquals(200, carol.login(CAROL, CAROL_PASSWORD).statusCode());
      String sickAlert =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> alertIdOf(carol, PatientKeys.format(sick)), id -> id != null);
      assertEquals(202, carol.post("/api/alerts/" + sickAlert + "/acknowledge").statusCode());

      // The service has everything: Carol, reading normally, sees the final states.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> settled(carol.get("/api/alerts").body(), sickAlert));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> wardSettled(carol.get("/api/ward").body()));
      String whileBehind = new Browserless(app.base).get("/metrics").body();
      // Ada's tab reads again: her stream is still open and ends in every final state.
      boolean caughtUp =
          stream.readUntil(
              ev -> finalStates(stream.lastById().values(), sickAlert).isEmpty(),
              Duration.ofSeconds(60));
      assertFalse(stream.ended(), "the stream of a client that fell behind stays open");
      assertTrue(
          caughtUp,
          "not in their final state: " + finalStates(stream.lastById().values(), sickAlert));
      long alertEvents =
          stream.events().stream()
              .filter(e -> e.name().equals("alert") && e.id().startsWith(tenant + "-a"))
              .count();
      assertTrue(
          alertEvents < FLOOD_ALERTS * CHANGES,
          "older states of an alert replaced by newer ones while unsent: " + alertEvents);
      assertTrue(
          metric(
                  new Browserless(app.base).get("/metrics").body(),
                  "vigil_alerts_live_events_conflated_total{event=\"alert\"}")
              > 0);

      // Bounded by what changed, not by how often: at most one waiting event per alert and
      // patient (11 patients and 6 alerts of ward-1, and the service's own TECHNICAL alerts).
      assertTrue(
          metric(whileBehind, "vigil_alerts_live_pending_events_largest")
              <= PATIENTS + 1 + FLOOD_ALERTS + 1 + 2,
          whileBehind);

      // And it goes on carrying changes as they happen.
      try (KafkaProducer<PatientKey, VitalObservation> producer =
          kafka.producer(Topics.VITALS_OBSERVATIONS)) {
        producer.send(Scores.heartRate(patient(0), 33, t0.plusSeconds(7200))).get();
      }
      assertTrue(
          stream.readUntil(
              ev ->
                  Double.valueOf(33)
                      .equals(
                          heartRateOfLastRow(
                              stream.lastById().values(), PatientKeys.format(patient(0)))),
              Duration.ofSeconds(30)),
          "a reading after the catch-up arrives live");
      assertFalse(stream.ended());
    }
  }

  @Test
  @Order(2)
  void shouldEndTheStreamOfAReaderBehindOnMorePatientsThanTheBoundAndLetItReconnect()
      throws Exception {
    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
    double endedBefore =
        metric(
            new Browserless(app.base).get("/metrics").body(),
            "vigil_alerts_live_streams_ended_total{reason=\"too_far_behind\"}");
    // Enough rows (about 1 KB each) to fill the TCP buffers between the two ends (up to 4 MiB
    // on the sending side) before the backlog is reached.
    int many = 200 * MAX_PENDING;
    Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
    try (SlowSseReader stream = SlowSseReader.open(app.base, ada.cookieHeader())) {
      assertTrue(stream.readUntil(ev -> has(ev, "ready"), Duration.ofSeconds(10)));
      Map<PatientKey, Object> contexts = new LinkedHashMap<>();
      for (int p = 0; p < many; p++) {
        contexts.put(PatientKeys.of(tenant, "p-many-" + p), Scores.context(t0, "ward-1"));
      }
      produceContexts(contexts);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  metric(
                          new Browserless(app.base).get("/metrics").body(),
                          "vigil_alerts_live_streams_ended_total{reason=\"too_far_behind\"}")
                      > endedBefore);
      assertTrue(
          stream.readUntil(ev -> false, Duration.ofSeconds(30)) || stream.ended(),
          "the server ended the stream");
    }
    // Reconnecting, the client reads the whole state again and gets a live stream.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ((List<?>)
                            json.readValue(
                                    ada.get("/api/ward").body(),
                                    Argument.mapOf(String.class, Object.class))
                                .get("patients"))
                        .stream()
                            .filter(
                                r -> ((Map<?, ?>) r).get("patient").toString().contains("/p-many-"))
                            .count()
                    == many);
    try (SlowSseReader again = SlowSseReader.open(app.base, ada.cookieHeader())) {
      assertTrue(again.readUntil(ev -> has(ev, "ready"), Duration.ofSeconds(10)));
    }
  }

  private PatientKey patient(int p) {
    return PatientKeys.of(tenant, "p-" + p);
  }

  private void produceContexts(Map<PatientKey, Object> contexts) throws Exception {
    Map<PatientKey, io.vigil.schemas.patients.PatientContext> typed = new LinkedHashMap<>();
    contexts.forEach((k, v) -> typed.put(k, (io.vigil.schemas.patients.PatientContext) v));
    kafka.produce(Topics.PATIENTS_CONTEXT, typed);
  }

  /**
   * {@code FLOOD_ALERTS} alerts of ward-1, each raised and then changed {@code CHANGES - 1} times,
   * as the lifecycle writes them: the LSTM risk of change n is n / CHANGES; the last change
   * acknowledges the first alert, resolves the second and only updates the others.
   */
  private void produceAlertFlood(Instant t0) throws Exception {
    try (KafkaProducer<PatientKey, AlertEvent> producer = kafka.producer(Topics.ALERTS_EVENTS)) {
      for (int n = 0; n < CHANGES; n++) {
        for (int a = 0; a < FLOOD_ALERTS; a++) {
          producer.send(
              new ProducerRecord<>(Topics.ALERTS_EVENTS.name(), patient(a), alertEvent(a, n, t0)));
        }
      }
      producer.flush();
    }
  }

  private AlertEvent alertEvent(int a, int n, Instant t0) {
    AlertEventType type = AlertEventType.UPDATED;
    String actor = "vigil-alerts";
    if (n == 0) {
      type = AlertEventType.RAISED;
    } else if (n == CHANGES - 1 && a == 0) {
      type = AlertEventType.ACKNOWLEDGED;
      actor = ADA;
    } else if (n == CHANGES - 1 && a == 1) {
      type = AlertEventType.RESOLVED;
      actor = CAROL;
    }
    return AlertEvent.newBuilder()
        .setEventId(floodAlert(a) + "/" + n)
        .setAlertId(floodAlert(a))
        .setType(type)
        .setCause(AlertCause.NEWS2_MEDIUM)
        .setCategory(AlertCategory.CLINICAL)
        .setPriority(AlertPriority.MEDIUM)
        .setCareTeam("ward-1")
        .setTier(0)
        .setActor(actor)
        .setTime(t0.plusMillis(n))
        .setLstmRisk(n / (double) CHANGES)
        .setNews2Total(5)
        .setWindowEnd(t0)
        .build();
  }

  private String floodAlert(int a) {
    return tenant + "-a" + a;
  }

  /** {@code ROUNDS} heart rates per patient, 60, 61, ..., each round written on its own. */
  private void produceReadings(Instant t0) throws Exception {
    try (KafkaProducer<PatientKey, VitalObservation> producer =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      for (int round = 0; round < ROUNDS; round++) {
        for (int p = 0; p < PATIENTS; p++) {
          producer.send(Scores.heartRate(patient(p), 60 + round, t0.plusSeconds(10L * round)));
        }
        producer.flush();
      }
    }
  }

  private static boolean has(List<SlowSseReader.Sse> events, String name) {
    return events.stream().anyMatch(e -> e.name().equals(name));
  }

  private String alertIdOf(Browserless nurse, String patient) throws Exception {
    for (Object card :
        json.readValue(nurse.get("/api/alerts").body(), Argument.listOf(Map.class))) {
      Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) card).get("alert");
      if (patient.equals(a.get("patient"))) {
        return a.get("alertId").toString();
      }
    }
    return null;
  }

  /** Whether the alert list shows the sick patient's alert acknowledged and the flood's end. */
  private boolean settled(String list, String sickAlert) throws IOException {
    Map<String, Map<?, ?>> byId = new HashMap<>();
    for (Object card : json.readValue(list, Argument.listOf(Map.class))) {
      Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) card).get("alert");
      byId.put(a.get("alertId").toString(), a);
    }
    Map<?, ?> sick = byId.get(sickAlert);
    Map<?, ?> last = byId.get(floodAlert(FLOOD_ALERTS - 1));
    return sick != null
        && CAROL.equals(sick.get("acknowledgedBy"))
        && last != null
        && ((Number) last.get("lstmRisk")).doubleValue() == (CHANGES - 1) / (double) CHANGES;
  }

  private boolean wardSettled(String body) throws IOException {
    Map<?, ?> ward = json.readValue(body, Argument.mapOf(String.class, Object.class));
    long done =
        ((List<?>) ward.get("patients"))
            .stream().filter(r -> heartRate(r) != null && heartRate(r) == 60 + ROUNDS - 1).count();
    return done == PATIENTS;
  }

  private static Double heartRate(Object row) {
    for (Object v : (List<?>) ((Map<?, ?>) row).get("vitals")) {
      Map<?, ?> reading = (Map<?, ?>) v;
      if ("HR".equals(reading.get("vital")) && reading.get("value") != null) {
        return ((Number) reading.get("value")).doubleValue();
      }
    }
    return null;
  }

  private Double heartRateOfLastRow(
      java.util.Collection<SlowSseReader.Sse> events, String patient) {
    Double hr = null;
    for (SlowSseReader.Sse e : events) {
      if (e.name().equals("patient") && patient.equals(e.id())) {
        hr = heartRate(read(e.data()));
      }
    }
    return hr;
  }

  /**
   * What the events read so far do not yet show in its final state, judged by the last event of
   * each alert and patient: empty once each is final.
   */
  private List<String> finalStates(
      java.util.Collection<SlowSseReader.Sse> events, String sickAlert) {
    Map<String, Map<?, ?>> lastAlert = new HashMap<>();
    for (SlowSseReader.Sse e : events) {
      if (e.name().equals("alert")) {
        lastAlert.put(e.id(), read(e.data()));
      }
    }
    List<String> notFinal = new java.util.ArrayList<>();
    for (int a = 0; a < FLOOD_ALERTS; a++) {
      Map<?, ?> s = lastAlert.get(floodAlert(a));
      String status = a == 0 ? "ACKNOWLEDGED" : a == 1 ? "RESOLVED" : "RAISED";
      if (s == null
          || ((Number) s.get("lstmRisk")).doubleValue() != (CHANGES - 1) / (double) CHANGES
          || !status.equals(s.get("status"))) {
        notFinal.add(floodAlert(a) + "=" + s);
      }
    }
    Map<?, ?> sick = lastAlert.get(sickAlert);
    if (sick == null || !CAROL.equals(sick.get("acknowledgedBy"))) {
      notFinal.add(sickAlert + "=" + sick);
    }
    for (int p = 0; p < PATIENTS; p++) {
      Double hr = heartRateOfLastRow(events, PatientKeys.format(patient(p)));
      if (hr == null || hr != 60 + ROUNDS - 1) {
        notFinal.add(PatientKeys.format(patient(p)) + " HR " + hr);
      }
    }
    return notFinal;
  }

  private Map<?, ?> read(String data) {
    return parsed.computeIfAbsent(
        data,
        d -> {
          try {
            return json.readValue(d, Argument.mapOf(String.class, Object.class));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /** The value of the metric line that starts with {@code series} (name and labels). */
  private static double metric(String metrics, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
    assertTrue(m.find(), series + " exported:\n" + metrics);
    return Double.parseDouble(m.group(1));
  }
}
