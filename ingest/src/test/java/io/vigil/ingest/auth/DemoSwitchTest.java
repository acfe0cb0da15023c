package io.vigil.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.testkit.ServiceJvm;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as an operator starts it: {@code io.vigil.ingest.Application} in a JVM of its own,
 * configured only by its environment, its whole output captured.
 */
@WithKafka
class DemoSwitchTest {
  private static final Pattern KEY = Pattern.compile("vk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldCreateNoKeyAndPrintNoSecretWhenStartedWithoutTheDemoSwitch(
      TestKafka kafka, @TempDir Path home) throws Exception {
    ServiceJvm ingest = start(kafka, home, List.of());
    try {
      assertEquals(401, post(ingest.port(), "vk_000000000000_guess").statusCode());
    } finally {
      ingest.stop();
    }
    String output = ingest.output();
    assertFalse(Files.exists(home.resolve("ingest-api-keys.tsv")), "no key file created");
    assertFalse(Files.exists(home.resolve("demo.env")), "no demo.env created");
    assertFalse(KEY.matcher(output).find(), "no API key printed:\n" + output);
    assertFalse(output.contains("vk_"), output);
    assertTrue(output.contains("no API key file at"), "the operator is told why:\n" + output);
  }

  @Test
  void shouldCreateAndPrintTheDemoKeyOnlyWithTheSwitchUpPasses(TestKafka kafka, @TempDir Path home)
      throws Exception {
    ServiceJvm ingest = start(kafka, home, List.of("--vigil.demo=true"));
    String key;
    try {
      String env = Files.readString(home.resolve("demo.env"));
      Matcher m = KEY.matcher(env);
      assertTrue(m.find(), env);
      key = m.group();
      assertEquals(200, post(ingest.port(), key).statusCode());
    } finally {
      ingest.stop();
    }
    for (String secretFile : List.of("demo.env", "ingest-api-keys.tsv")) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(secretFile))));
    }
    String output = ingest.output();
    assertTrue(output.contains("shown only now: " + key), "the demo banner:\n" + output);
    assertEquals(1, output.split(Pattern.quote(key), -1).length - 1, "printed once");
  }

  private HttpResponse<String> post(int port, String key) throws Exception {
    String body =
        "{\"readings\":[{\"id\":\"r1\",\"patientId\":\"demo-1\",\"code\":\"heart_rate\","
            + "\"value\":70,\"unit\":\"/min\",\"time\":\""
            + Instant.now()
            + "\"}]}";
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/observations"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private ServiceJvm start(TestKafka kafka, Path home, List<String> args) throws Exception {
    List<String> all = new ArrayList<>(List.of());
    all.addAll(args);
    return ServiceJvm.start(
        "ingest",
        "io.vigil.ingest.Application",
        List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"),
        all,
        Map.of("VIGIL_HOME", home.toString(), "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
        Set.of("VIGIL_DEMO"),
        Duration.ofSeconds(90));
  }
}
