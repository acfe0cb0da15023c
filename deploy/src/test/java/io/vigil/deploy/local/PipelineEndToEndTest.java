package io.vigil.deploy.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.testing.TestKafka;
import io.vigil.schemas.testing.WithKafka;
import io.vigil.scoring.replay.IngestClient;
import io.vigil.scoring.simulator.CohortSimulator;
import io.vigil.scoring.simulator.SimulatedPatient;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as {@code ./vigil up} runs it: ingest, scoring and alerts each in a JVM of its
 * own against a real broker, a simulated ward posting through ingest's HTTP API, and a nurse
 * reading the alert it causes; then every metric the Grafana dashboard charts must be exported.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();

  final List<ServiceProcess> services = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  int ingestPort;
  int scoringPort;
  int alertsPort;
  Path home;

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The class path the build wrote for a service module (see the root pom). */
  static Path classpathOf(Path work, String module) throws IOException {
    Path dir = ROOT.resolve(module).resolve("target");
    Path deps = dir.resolve("classpath.txt");
    if (!Files.exists(deps)) {
      throw new IllegalStateException(deps + " missing: package the services first (mvn package)");
    }
    Path file = work.resolve(module.replace('/', '-') + ".classpath");
    Files.writeString(file, dir.resolve("classes") + ":" + Files.readString(deps).strip());
    return file;
  }

  @BeforeAll
  void startServices(TestKafka kafka, @TempDir Path work) throws Exception {
    home = work.resolve("home");
    Files.createDirectories(home);
    ingestPort = freePort();
    scoringPort = freePort();
    alertsPort = freePort();
    start(
        new ServiceSpec(
            "ingest",
            ingestPort,
            "io.vigil.ingest.Application",
            classpathOf(work, "ingest"),
            "/health",
            List.of()),
        kafka);
    start(
        new ServiceSpec(
            "scoring",
            scoringPort,
            "io.vigil.scoring.app.Application",
            classpathOf(work, "scoring/app"),
            "/health",
            List.of()),
        kafka);
    start(
        new ServiceSpec(
            "alerts",
            alertsPort,
            "io.vigil.alerts.Application",
            classpathOf(work, "alerts"),
            "/health",
            List.of()),
        kafka);
  }

  void start(ServiceSpec spec, TestKafka kafka) throws Exception {
    ServiceProcess process = ServiceProcess.start(spec, home, kafka.bootstrapServers());
    services.add(process);
    process.awaitReady();
  }

  @AfterAll
  void stopServices() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).stop();
    }
  }

  String demoEnv(String key) {
    return Ward.DemoEnv.read(home.resolve("demo.env"), key)
        .orElseThrow(() -> new AssertionError(key + " missing from demo.env"));
  }

  JsonNode getJson(int port, String path) throws Exception {
    return getJson(port, path, null);
  }

  /** GET with {@code Authorization: Bearer <bearer>} when bearer is not null. */
  JsonNode getJson(int port, String path, String bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  String get(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aDeterioratingPatientOfTheWardReachesTheNurseAndEveryChartedMetricIsExported()
      throws Exception {
    String tenant = demoEnv("VIGIL_TENANT");
    Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = now.minus(Duration.ofHours(16));
    // Four patients; the first deteriorates (sepsis-like) from four hours into the stay.
    List<SimulatedPatient> cohort =
        CohortSimulator.cohort(4, 0.25, start, Duration.ofHours(4), Duration.ofHours(5), 11);
    Ward ward =
        new Ward(
            new IngestClient(
                URI.create("http://127.0.0.1:" + ingestPort), demoEnv("VIGIL_API_KEY")),
            cohort);
    ward.admit("ward-1");
    long sent = ward.send(start, now);
    assertTrue(sent > 1000, "the ward sent " + sent + " readings");

    String sick = cohort.get(0).id();
    String riskPath =
        "/api/patients/"
            + tenant
            + "/"
            + sick
            + "/risk?from="
            + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(now.plusSeconds(3600).toString(), StandardCharsets.UTF_8);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertTrue(
                    getJson(scoringPort, riskPath, demoEnv("VIGIL_API_KEY"))
                        .toString()
                        .contains("lstmRisk")));

    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alertsPort + "/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode()
                            .put("username", demoEnv("VIGIL_NURSE_USER"))
                            .put("password", demoEnv("VIGIL_NURSE_PASSWORD"))
                            .toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertTrue(
                    getJson(alertsPort, "/api/alerts").toString().contains(sick),
                    "no alert for " + sick + " in the nurse's list"));

    Set<String> exported = new TreeSet<>();
    for (int port : List.of(ingestPort, scoringPort, alertsPort)) {
      exported.addAll(metricNames(get(port, "/metrics")));
    }
    // A labelled metric shows in the exposition only once it has a child (e.g. a first
    // escalation); those must at least be registered under that name by a service.
    Set<String> registered = registeredMetricNames();
    Set<String> missing = new TreeSet<>();
    for (String name : chartedMetricNames()) {
      String base = name.replaceAll("_(bucket|sum|count)$", "");
      if (!exported.contains(name) && !registered.contains(base)) {
        missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "charted in Grafana but exported by no service");
    assertTrue(exported.contains("vigil_scoring_windows_scored_total"), exported.toString());
    assertTrue(exported.contains("vigil_alerts_raised_total"), exported.toString());
    assertTrue(exported.contains("vigil_ingest_readings_accepted_total"), exported.toString());
  }

  static Set<String> metricNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        String name = parts[2];
        String type = parts[3];
        names.add(name);
        if (type.equals("counter")) {
          names.add(name.endsWith("_total") ? name : name + "_total");
        }
        if (type.equals("histogram")) {
          names.add(name + "_bucket");
          names.add(name + "_sum");
          names.add(name + "_count");
        }
      }
    }
    return names;
  }

  /** Names given to metric builders in the services' sources. */
  static Set<String> registeredMetricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern builderName = Pattern.compile("\\.name\\(\"(vigil_[a-z_]+)\"\\)");
    for (String module : List.of("ingest", "scoring/app", "alerts")) {
      try (var files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = builderName.matcher(Files.readString(file));
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    return names;
  }

  static Set<String> chartedMetricNames() throws IOException {
    String dashboard =
        Files.readString(ROOT.resolve("deploy/grafana/dashboards/vigil-pipeline.json"));
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:vigil|jvm)_[a-z_]+)").matcher(dashboard);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
