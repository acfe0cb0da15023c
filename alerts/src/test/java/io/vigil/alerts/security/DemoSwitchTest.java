package io.vigil.alerts.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.app.Browserless;
import io.vigil.schemas.testing.TestKafka;
import io.vigil.schemas.testing.WithKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as an operator starts it: {@code io.vigil.alerts.Application} in a JVM of its own,
 * configured only by its environment and arguments, its whole output captured.
 */
@WithKafka
class DemoSwitchTest {
  private static final Pattern PASSWORD = Pattern.compile("VIGIL_NURSE_PASSWORD=(\\S+)");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldCreateNoDemoNurseAndPrintNoSecretWhenStartedWithoutTheDemoSwitch(
      TestKafka kafka, @TempDir Path home) throws Exception {
    Started alerts = start(kafka, home, List.of());
    try {
      Browserless guest = new Browserless(URI.create("http://127.0.0.1:" + alerts.port));
      assertEquals(401, guest.login(DemoAccounts.USER, "any-password-at-all").statusCode());
    } finally {
      alerts.stop();
    }
    String output = alerts.output();
    assertFalse(Files.exists(home.resolve("alerts/users.properties")), "no users file created");
    assertFalse(Files.exists(home.resolve("demo.env")), "no demo.env created");
    assertFalse(output.contains("shown only now"), "no demo banner:\n" + output);
    assertFalse(
        output.toLowerCase(java.util.Locale.ROOT).contains("password"),
        "no password printed:\n" + output);
    assertTrue(output.contains("no users file at"), "the operator is told why:\n" + output);
    assertSecretFileNotPrinted(home.resolve("alerts/jwt-secret"), output);
  }

  @Test
  void shouldCreateTheDemoNurseOwnerOnlyAndPrintItOnceWithTheSwitchUpPasses(
      TestKafka kafka, @TempDir Path home) throws Exception {
    Started alerts = start(kafka, home, List.of("--vigil.demo=true"));
    String password;
    try {
      String env = Files.readString(home.resolve("demo.env"));
      assertTrue(env.contains("VIGIL_NURSE_USER=" + DemoAccounts.USER + "\n"), env);
      Matcher m = PASSWORD.matcher(env);
      assertTrue(m.find(), env);
      password = m.group(1);
      Browserless nurse = new Browserless(URI.create("http://127.0.0.1:" + alerts.port));
      assertEquals(200, nurse.login(DemoAccounts.USER, password).statusCode());
    } finally {
      alerts.stop();
    }
    for (String secretFile : List.of("demo.env", "alerts/users.properties", "alerts/jwt-secret")) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(secretFile))),
          secretFile);
    }
    String output = alerts.output();
    assertTrue(output.contains("shown only now: " + password), "the demo banner:\n" + output);
    assertEquals(1, output.split(Pattern.quote(password), -1).length - 1, "printed once");
    assertSecretFileNotPrinted(home.resolve("alerts/jwt-secret"), output);
  }

  private static void assertSecretFileNotPrinted(Path secretFile, String output)
      throws IOException {
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)),
        "the JWT signing secret is owner-only");
    String secret = Files.readString(secretFile).trim();
    assertTrue(secret.length() >= 32);
    assertFalse(output.contains(secret), "the JWT signing secret is never printed");
  }

  private Started start(TestKafka kafka, Path home, List<String> args) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    // The service's own logging configuration, not the tests' quieter one.
    command.add(
        "-Dlogback.configurationFile="
            + Path.of("target", "classes", "logback.xml").toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.vigil.alerts.Application");
    command.add("--vigil.alerts.application-id=" + TestKafka.unique("alerts-demo"));
    command.addAll(args);
    Path log = Files.createTempFile("vigil-alerts-output", ".log");
    log.toFile().deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("VIGIL_DEMO");
    builder.environment().remove("VIGIL_JWT_SECRET");
    builder.environment().put("VIGIL_HOME", home.toString());
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    Started started = new Started(builder.start(), port, log);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      if (!started.process.isAlive()) {
        throw new AssertionError("alerts exited:\n" + started.output());
      }
      try {
        HttpResponse<Void> health =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return started;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    started.stop();
    throw new AssertionError("alerts not ready in 120 s:\n" + started.output());
  }

  private record Started(Process process, int port, Path log) {
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }
}
