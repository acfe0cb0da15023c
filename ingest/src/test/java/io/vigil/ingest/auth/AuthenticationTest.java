package io.vigil.ingest.auth;

import static io.vigil.ingest.Json.batch;
import static io.vigil.ingest.Json.reading;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.schemas.testing.TestKafka;
import io.vigil.schemas.testing.WithKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@WithKafka
class AuthenticationTest {

  private static String run(Path file, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ApiKeys.run(List.of(args), file, new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
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
      assertThrows(IllegalArgumentException.class, () -> run(file, "revoke", "nope"));
      assertThrows(IllegalArgumentException.class, () -> run(file, "add", "bad source", tenant));
    }
  }

  @Test
  void shouldCreateADemoSourceOnFirstStartAndKeepOtherLinesOfDemoEnv(TestKafka kafka)
      throws Exception {
    Path home = Files.createTempDirectory("vigil-demo");
    Files.writeString(home.resolve("demo.env"), "VIGIL_NURSE_PASSWORD=abc\nVIGIL_API_KEY=stale\n");
    try (IngestServer ingest =
        IngestServer.start(
            kafka,
            Map.of("vigil.ingest.home", home.toString(), "vigil.ingest.demo-source", true))) {
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
        IngestServer.start(
            kafka,
            Map.of("vigil.ingest.home", home.toString(), "vigil.ingest.demo-source", true))) {
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
