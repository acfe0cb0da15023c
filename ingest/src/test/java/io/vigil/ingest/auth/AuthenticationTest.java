package io.vigil.ingest.auth;

import static io.vigil.ingest.Json.batch;
import static io.vigil.ingest.Json.reading;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.schemas.access.Scope;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@WithKafka
class AuthenticationTest {

  /** Runs {@link ApiKeys} on {@code file}. */
  private static ApiKeysRun keys(Path file, String... args) {
    List<String> argv = new ArrayList<>(List.of("--file", file.toString()));
    argv.addAll(List.of(args));
    return ApiKeysRun.of(argv.toArray(String[]::new));
  }

  /** Runs {@link ApiKeys} on {@code file}, which must succeed; returns what it printed. */
  private static String run(Path file, String... args) {
    ApiKeysRun run = keys(file, args);
    assertEquals(0, run.status(), run.err());
    return run.out();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void shouldRotateKeysWithTheCommandLineWhileTheServiceRuns(TestKafka kafka) throws Exception {
    try (IngestServer ingest = IngestServer.start(kafka)) {
      Path file = ingest.home().resolve("ingest-api-keys.tsv");
      String tenant = TestKafka.unique("t");
      String oldKey = lastLine(run(file, "add", "platform-r", tenant));
      String body = batch(reading("a", "p1", "heart_rate", 70, "/min", Instant.now()));
      assertEquals(200, ingest.postJson("/v1/observations", oldKey, body).statusCode());

      String newKey = lastLine(run(file, "add", "platform-r", tenant));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> ingest.postJson("/v1/observations", newKey, body).statusCode() == 200);
      assertEquals(
          200, ingest.postJson("/v1/observations", oldKey, body).statusCode(), "both work");

      String oldKeyId = oldKey.substring(3, oldKey.indexOf('_', 3));
      assertTrue(run(file, "revoke", oldKeyId).contains("revoked"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> ingest.postJson("/v1/observations", oldKey, body).statusCode() == 401);
      assertEquals(200, ingest.postJson("/v1/observations", newKey, body).statusCode());

      String listing = run(file, "list");
      assertTrue(listing.contains(oldKeyId));
      String stored = Files.readString(file);
      assertFalse(
          stored.contains(newKey.substring(newKey.indexOf('_', 3) + 1)),
          "secrets are never stored");
      assertEquals(2, keys(file, "revoke", "nope").status(), "no such key");
      assertEquals(2, keys(file, "add", "bad source", tenant).status(), "invalid source");
    }
  }

  @Test
  void shouldRefuseAReadOnlyKeyOnEveryWriteEndpointNamingTheMissingScope(TestKafka kafka) {
    try (IngestServer ingest = IngestServer.start(kafka)) {
      String tenant = TestKafka.unique("t");
      String readOnly = ingest.addKey("portal", tenant, Set.of(Scope.READ));
      String patient = TestKafka.unique("p");
      String batch = batch(reading("s1", patient, "heart_rate", 70, "/min", Instant.now()));

      HttpResponse<String> observations = ingest.postJson("/v1/observations", readOnly, batch);
      assertEquals(403, observations.statusCode(), observations.body());
      assertEquals(
          "application/problem+json",
          observations.headers().firstValue("Content-Type").orElseThrow());
      JsonNode problem = Json.parse(observations.body());
      assertEquals("urn:vigil:problem:insufficient-scope", problem.get("type").asText());
      assertEquals("write", problem.get("requiredScope").asText());
      assertTrue(problem.get("detail").asText().contains("'write' scope"), problem.toString());
      assertTrue(problem.get("detail").asText().contains("it has: read"), problem.toString());

      HttpResponse<String> context =
          ingest.send(
              "PUT",
              "/v1/patients/" + patient,
              readOnly,
              "application/json",
              "{\"careTeams\":[\"ward-1\"]}");
      assertEquals(403, context.statusCode(), context.body());
      assertEquals("write", Json.parse(context.body()).get("requiredScope").asText());

      HttpResponse<String> fhir =
          ingest.post("/fhir/r4/Observation", readOnly, "application/fhir+json", "{}");
      assertEquals(403, fhir.statusCode(), fhir.body());
      JsonNode outcome = Json.parse(fhir.body());
      assertEquals("OperationOutcome", outcome.get("resourceType").asText());
      assertEquals("forbidden", outcome.get("issue").get(0).get("code").asText());
      assertTrue(outcome.get("issue").get(0).get("diagnostics").asText().contains("'write'"));

      List<ConsumerRecord<PatientKey, VitalObservation>> written =
          kafka.consume(
              Topics.VITALS_OBSERVATIONS,
              1,
              Duration.ofSeconds(3),
              r -> r.key().getPatientId().equals(patient));
      assertEquals(List.of(), written, "nothing of a refused request is written");

      String writer = ingest.addKey("watch", tenant, Set.of(Scope.WRITE, Scope.READ));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> ingest.postJson("/v1/observations", writer, batch).statusCode() == 200);
    }
  }

  @Test
  void shouldKeepAcceptingKeysFromAFileWrittenBeforeKeysHadScopes(TestKafka kafka)
      throws Exception {
    try (IngestServer ingest = IngestServer.start(kafka)) {
      String token = ingest.addKey("old-platform", TestKafka.unique("t"));
      Path file = ingest.home().resolve("ingest-api-keys.tsv");
      // Drop the scopes column: the line as the previous version wrote it (seven fields).
      List<String> oldFormat =
          Files.readAllLines(file).stream()
              .map(l -> l.startsWith("#") ? l : l.substring(0, l.lastIndexOf('\t')))
              .toList();
      assertEquals(7, oldFormat.get(1).split("\t", -1).length);
      Files.write(file, oldFormat);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  ingest
                          .postJson(
                              "/v1/observations",
                              token,
                              batch(reading("o1", "p1", "heart_rate", 70, "/min", Instant.now())))
                          .statusCode()
                      == 200);
      assertTrue(run(file, "list").contains("\told-platform\t"));
      assertTrue(run(file, "list").contains("\twrite\t"), "old lines list as write keys");
    }
  }

  @Test
  void shouldCreateADemoSourceOnFirstStartWithTheDemoSwitchAndKeepOtherLinesOfDemoEnv(
      TestKafka kafka) throws Exception {
    Path home = Files.createTempDirectory("vigil-demo");
    Files.writeString(home.resolve("demo.env"), "VIGIL_NURSE_PASSWORD=abc\nVIGIL_API_KEY=stale\n");
    try (IngestServer ingest =
        IngestServer.start(kafka, Map.of("vigil.home", home.toString(), "vigil.demo", true))) {
      for (String secretFile : List.of("demo.env", "ingest-api-keys.tsv")) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(secretFile))),
            secretFile + " is readable by its owner only");
      }
      List<String> env = Files.readAllLines(home.resolve("demo.env"));
      assertTrue(env.contains("VIGIL_NURSE_PASSWORD=abc"), env.toString());
      assertTrue(env.contains("VIGIL_TENANT=demo"));
      String key =
          env.stream()
              .filter(l -> l.startsWith("VIGIL_API_KEY=vk_"))
              .findFirst()
              .orElseThrow()
              .substring("VIGIL_API_KEY=".length());
      assertEquals(1, env.stream().filter(l -> l.startsWith("VIGIL_API_KEY=")).count());
      HttpResponse<String> response =
          ingest.postJson(
              "/v1/observations",
              key,
              batch(reading("d1", "demo-patient", "heart_rate", 70, "/min", Instant.now())));
      assertEquals(200, response.statusCode(), response.body());
    }
    String firstKey = Files.readString(home.resolve("demo.env"));
    try (IngestServer again =
        IngestServer.start(kafka, Map.of("vigil.home", home.toString(), "vigil.demo", true))) {
      assertEquals(firstKey, Files.readString(home.resolve("demo.env")), "created only once");
    }
  }

  @Test
  void shouldLimitEachSourcesRequestRateWithRetryAfter(TestKafka kafka) {
    try (IngestServer ingest =
        IngestServer.start(
            kafka,
            Map.of(
                "vigil.ingest.rate-limit-per-second", 0.1, "vigil.ingest.rate-limit-burst", 2))) {
      String tenant = TestKafka.unique("t");
      String noisy = ingest.addKey("noisy", tenant);
      String quiet = ingest.addKey("quiet", tenant);
      String body = batch(reading("a", "p1", "heart_rate", 70, "/min", Instant.now()));
      assertEquals(200, ingest.postJson("/v1/observations", noisy, body).statusCode());
      assertEquals(200, ingest.postJson("/v1/observations", noisy, body).statusCode());
      HttpResponse<String> limited = ingest.postJson("/v1/observations", noisy, body);
      assertEquals(429, limited.statusCode());
      assertEquals(
          "urn:vigil:problem:rate-limited", Json.parse(limited.body()).get("type").asText());
      long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
      // One request per 10 s sustained: the wait is at most that, however slow the machine.
      assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
      assertEquals(
          200,
          ingest.postJson("/v1/observations", quiet, body).statusCode(),
          "other sources unaffected");
    }
  }
}
