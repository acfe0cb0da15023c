package io.vigil.alerts.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.app.Browserless;
import io.vigil.testkit.ServiceJvm;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    ServiceJvm alerts = start(kafka, home, List.of());
    try {
      Browserless guest = new Browserless(URI.create("http://127.0.0.1:" + alerts.port()));
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
    ServiceJvm alerts = start(kafka, home, List.of("--vigil.demo=true"));
    String password;
    try {
      String env = Files.readString(home.resolve("demo.env"));
      assertTrue(env.contains("VIGIL_NURSE_USER=" + DemoAccounts.USER + "\n"), env);
      Matcher m = PASSWORD.matcher(env);
      assertTrue(m.find(), env);
      password = m.group(1);
      Browserless nurse = new Browserless(URI.create("http://127.0.0.1:" + alerts.port()));
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

  private ServiceJvm start(TestKafka kafka, Path home, List<String> args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("--vigil.alerts.application-id=" + TestKafka.unique("alerts-demo")));
    all.addAll(args);
    return ServiceJvm.start(
        "alerts",
        "io.vigil.alerts.Application",
        List.of(
            "-Xmx384m",
            // The service's own logging configuration, not the tests' quieter one.
            "-Dlogback.configurationFile="
                + Path.of("target", "classes", "logback.xml").toAbsolutePath()),
        all,
        Map.of("VIGIL_HOME", home.toString(), "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
        Set.of("VIGIL_DEMO", "VIGIL_JWT_SECRET"),
        Duration.ofSeconds(120));
  }
}
