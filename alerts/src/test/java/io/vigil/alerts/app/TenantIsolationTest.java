package io.vigil.alerts.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.Scores;
import io.vigil.alerts.security.UserStore;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.Closeable;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two tenants that both call a ward {@code ward-1}, on a real broker through the whole service:
 * each tenant's nurse sees, streams, reads and acts on only their own tenant's alerts; another
 * tenant's alert answers exactly as one that does not exist; patients without a care team go to
 * their own tenant's fallback team.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
  private static final String PASSWORD = "tenant-pass-4-tests";
  private final String tenantA = TestKafka.unique("tenant-a");
  private final String tenantB = TestKafka.unique("tenant-b");
  // The same patient id in both tenants: only the tenant tells them apart.
  private final PatientKey aWard = PatientKeys.of(tenantA, "bed-1");
  private final PatientKey bWard = PatientKeys.of(tenantB, "bed-1");
  private final PatientKey aNoContext = PatientKeys.of(tenantA, "no-context");
  private final PatientKey bNoContext = PatientKeys.of(tenantB, "no-context");
  private AlertsApp app;
  private JsonMapper json;
  private Browserless anna;
  private Browserless ben;
  private final List<String> bensStream = new CopyOnWriteArrayList<>();
  private Closeable bensStreamHandle;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    Path home = Files.createTempDirectory("vigil-home");
    Path users = home.resolve("alerts").resolve("users.properties");
    UserStore.addUser(
        users, "anna", PASSWORD, List.of(tenantA + "/ward-1", tenantA + "/unassigned"));
    UserStore.addUser(
        users, "ben", PASSWORD, List.of(tenantB + "/ward-1", tenantB + "/unassigned"));
    UserStore.addUser(
        users, "olga", PASSWORD, List.of(tenantA + "/ward-1", tenantB + "/ward-1"), true);
    app = AlertsApp.start(kafka, home, Map.of());
    json = app.context.getBean(JsonMapper.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new Browserless(app.base).get("/health").statusCode() == 200);
    anna = new Browserless(app.base);
    assertEquals(200, anna.login("anna", PASSWORD).statusCode());
    ben = new Browserless(app.base);
    assertEquals(200, ben.login("ben", PASSWORD).statusCode());
    bensStreamHandle = ben.stream("/api/stream", bensStream);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> bensStream.stream().anyMatch(l -> l.startsWith("event:") && l.contains("ready")));

    Instant t = Instant.now().minus(Duration.ofMinutes(30));
    kafka.produce(
        Topics.PATIENTS_CONTEXT,
        Map.of(aWard, Scores.context(t, "ward-1"), bWard, Scores.context(t, "ward-1")));
    kafka.produce(
        Topics.RISK_SCORES,
        Map.of(
            aWard, Scores.score(t.plusSeconds(60), 0.3, 8),
            bWard, Scores.score(t.plusSeconds(60), 0.3, 5),
            aNoContext, Scores.score(t.plusSeconds(60), 0.3, 8),
            bNoContext, Scores.score(t.plusSeconds(60), 0.3, 5)));
  }

  @AfterAll
  void stop() throws Exception {
    bensStreamHandle.close();
    app.close();
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> alerts(Browserless nurse) throws Exception {
    HttpResponse<String> r = nurse.get("/api/alerts");
    assertEquals(200, r.statusCode(), r.body());
    return json
        .readValue(r.body(), Argument.listOf(Argument.mapOf(String.class, Object.class)))
        .stream()
        .map(card -> (Map<String, Object>) card.get("alert"))
        .toList();
  }

  private List<String> patients(Browserless nurse) throws Exception {
    return alerts(nurse).stream().map(a -> (String) a.get("patient")).sorted().toList();
  }

  private String alertIdOf(Browserless nurse, PatientKey patient) throws Exception {
    String key = PatientKeys.format(patient);
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                alerts(nurse).stream()
                    .filter(a -> key.equals(a.get("patient")))
                    .map(a -> (String) a.get("alertId"))
                    .findFirst()
                    .orElse(null),
            id -> id != null);
  }

  @Test
  void eachTenantsNurseSeesOnlyHerTenantsWard1AndFallbackTeam() throws Exception {
    alertIdOf(anna, aWard);
    alertIdOf(anna, aNoContext);
    alertIdOf(ben, bWard);
    alertIdOf(ben, bNoContext);
    assertEquals(
        List.of(PatientKeys.format(aWard), PatientKeys.format(aNoContext)).stream()
            .sorted()
            .toList(),
        patients(anna));
    assertEquals(
        List.of(PatientKeys.format(bWard), PatientKeys.format(bNoContext)).stream()
            .sorted()
            .toList(),
        patients(ben));
    Map<String, Object> fallback =
        alerts(ben).stream()
            .filter(a -> PatientKeys.format(bNoContext).equals(a.get("patient")))
            .findFirst()
            .orElseThrow();
    assertEquals("unassigned", fallback.get("careTeam"), "the tenant's own fallback team");
    String me = ben.get("/api/me").body();
    assertTrue(me.contains("\"tenants\":[\"" + tenantB + "\"]"), me);
    assertTrue(me.contains(tenantB + "/ward-1"), me);
    assertFalse(me.contains(tenantA), me);
  }

  @Test
  void anotherTenantsAlertAnswersExactlyLikeAMissingOne() throws Exception {
    String annas = alertIdOf(anna, aWard);
    alertIdOf(ben, bWard);
    String missing = "00000000-0000-3000-8000-000000000000";
    for (String suffix : List.of("", "/fhir", "/deliveries")) {
      HttpResponse<String> foreign = ben.get("/api/alerts/" + annas + suffix);
      HttpResponse<String> absent = ben.get("/api/alerts/" + missing + suffix);
      assertEquals(404, foreign.statusCode(), suffix + ": " + foreign.body());
      assertEquals(absent.statusCode(), foreign.statusCode(), suffix);
      assertEquals(absent.body(), foreign.body(), suffix + ": the same body");
      assertEquals(
          absent.headers().firstValue("Content-Type"),
          foreign.headers().firstValue("Content-Type"),
          suffix);
      assertFalse(foreign.body().contains(annas), "the body does not echo the id");
    }
    for (String action : List.of("/acknowledge", "/resolve")) {
      HttpResponse<String> foreign = ben.post("/api/alerts/" + annas + action);
      HttpResponse<String> absent = ben.post("/api/alerts/" + missing + action);
      assertEquals(404, foreign.statusCode(), action);
      assertEquals(absent.body(), foreign.body(), action);
    }
    // The bundle needs the risk history, answered 503 history-unavailable (Retry-After) while the
    // lifecycle's partitions move in a rebalance: retried as a client does, anything else fails.
    HttpResponse<String> own =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> {
                  HttpResponse<String> r = anna.get("/api/alerts/" + annas + "/fhir");
                  if (r.statusCode() != 200) {
                    assertEquals(503, r.statusCode(), r.body());
                    assertTrue(r.body().contains("history-unavailable"), r.body());
                  }
                  return r;
                },
                r -> r.statusCode() == 200);
    assertEquals(200, own.statusCode(), "her own tenant's nurse reads it");
    assertTrue(own.body().contains(PatientKeys.format(aWard)));
    assertEquals(
        "RAISED",
        alerts(anna).stream()
            .filter(a -> annas.equals(a.get("alertId")))
            .findFirst()
            .orElseThrow()
            .get("status"),
        "the other tenant's attempts changed nothing");
  }

  @Test
  void theLiveStreamCarriesOnlyTheNursesTenant() throws Exception {
    alertIdOf(anna, aWard);
    alertIdOf(anna, aNoContext);
    alertIdOf(ben, bNoContext);
    String bWardKey = "\"patient\":\"" + PatientKeys.format(bWard) + "\"";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bensStream.stream().anyMatch(l -> l.contains(bWardKey)));
    String all = String.join("\n", bensStream);
    assertFalse(all.contains(tenantA), "no event of tenant A on B's stream:\n" + all);
  }

  @Test
  void anOperatorSpansTheTenantsSheIsGiven() throws Exception {
    alertIdOf(anna, aWard);
    alertIdOf(ben, bWard);
    Browserless olga = new Browserless(app.base);
    assertEquals(200, olga.login("olga", PASSWORD).statusCode());
    List<String> seen =
        await().atMost(Duration.ofSeconds(30)).until(() -> patients(olga), p -> p.size() == 2);
    assertEquals(
        List.of(PatientKeys.format(aWard), PatientKeys.format(bWard)).stream().sorted().toList(),
        seen,
        "ward-1 of both tenants, not their fallback teams");
  }
}
