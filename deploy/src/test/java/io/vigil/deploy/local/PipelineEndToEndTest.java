package io.vigil.deploy.local;

import static io.vigil.deploy.local.PipelineService.ALERTS;
import static io.vigil.deploy.local.PipelineService.INGEST;
import static io.vigil.deploy.local.PipelineService.SCORING;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import io.vigil.tools.replay.IngestClient;
import io.vigil.tools.simulator.CohortSimulator;
import io.vigil.tools.simulator.SimulatedPatient;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as {@code ./vigil up} runs it: ingest, scoring and alerts each in a JVM of its
 * own against a real broker, a simulated ward posting through ingest's HTTP API, and a nurse
 * reading the alert it causes; then every metric the Grafana dashboard charts must be exported.
 * Last, a session with secrets and a distinctive vital value, after which no line any service
 * printed during the whole run may carry a secret or that value, outside the demo banner.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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

  /**
   * A folder of class-path files in {@code work} as the launcher script writes it, with those of
   * {@code services}' modules, from the build's output (see the root pom).
   */
  static Path classpaths(Path work, PipelineService... services) throws IOException {
    Path files = Files.createDirectories(work.resolve("classpath"));
    for (PipelineService service : services) {
      Path target = ROOT.resolve(service.module()).resolve("target");
      Path deps = target.resolve("classpath.txt");
      if (!Files.exists(deps)) {
        throw new IllegalStateException(
            deps + " missing: package the services first (mvn package)");
      }
      Files.writeString(
          service.classpathFile(files),
          target.resolve("classes") + ":" + Files.readString(deps).strip());
    }
    return files;
  }

  @BeforeAll
  void startServices(TestKafka kafka, @TempDir Path work) throws Exception {
    home = work.resolve("home");
    Files.createDirectories(home);
    ingestPort = freePort();
    scoringPort = freePort();
    alertsPort = freePort();
    Path classpaths = classpaths(work, INGEST, SCORING, ALERTS);
    start(INGEST.spec(classpaths).withPort(ingestPort), kafka);
    start(
        SCORING.spec(classpaths).withPort(scoringPort),
        kafka,
        Map.of("SCORING_STATUS_INTERVAL_SECONDS", "1"));
    start(
        ALERTS
            .spec(classpaths)
            .withPort(alertsPort)
            .withArgs(List.of("--vigil.alerts.scoring-watch.grace=3s")),
        kafka);
  }

  void start(ServiceSpec spec, TestKafka kafka) throws Exception {
    start(spec, kafka, Map.of());
  }

  void start(ServiceSpec spec, TestKafka kafka, Map<String, String> environment) throws Exception {
    ServiceProcess process =
        ServiceProcess.start(spec, home, kafka.bootstrapServers(), environment);
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
  @Order(1)
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

    signInDemoNurse();
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

    // Nothing has gone wrong yet, so nothing may say it has: an ERROR line is for an operator to
    // act on, and one printed by every first start (Kafka's noise) would teach them to ignore it.
    for (ServiceProcess service : services) {
      assertEquals(
          List.of(),
          service.output().stream().filter(l -> l.contains(" ERROR ")).toList(),
          service.name() + " printed ERROR lines in a normal start and run");
    }
  }

  /** Signs the demo nurse in on {@link #http} (its cookie jar keeps the session). */
  void signInDemoNurse() throws Exception {
    HttpResponse<String> login = signIn(http, demoEnv("VIGIL_NURSE_PASSWORD"));
    assertEquals(200, login.statusCode(), login.body());
  }

  /**
   * Scoring killed with SIGKILL says nothing to anyone; its silence on services.status is enough
   * for the alerts service to tell the nurse, within seconds past the grace, that no patient is
   * being scored. Runs last: scoring stays dead.
   */
  @Test
  @Order(3)
  void whenScoringIsKilledTheNurseIsToldThatPatientsAreNoLongerScored() throws Exception {
    signInDemoNurse();
    assertFalse(getJson(alertsPort, "/api/alerts").toString().contains("SCORING_STOPPED"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(alertsPort, "/metrics")
                    .contains("vigil_alerts_scoring_partitions_expected 6.0"));
    Instant killed = Instant.now();
    services.get(1).kill();
    JsonNode alert =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  for (JsonNode card : getJson(alertsPort, "/api/alerts")) {
                    if ("SCORING_STOPPED".equals(card.path("alert").path("cause").asText())) {
                      return card.path("alert");
                    }
                  }
                  return null;
                },
                a -> a != null);
    Duration told = Duration.between(killed, Instant.now());
    System.out.println("scoring killed: the nurse was told after " + told.toMillis() + " ms");
    assertEquals("TECHNICAL", alert.path("category").asText());
    assertTrue(
        alert.path("lastNote").asText().contains("about 100 % of patients"), alert.toString());
    // Three missed reports of 1 s, 5 s for clocks, the 3 s grace, and polling.
    assertTrue(told.compareTo(Duration.ofSeconds(20)) < 0, "told after " + told);
  }

  /** A heart rate no simulated patient sends: it must never appear in a service's output. */
  static final String SENTINEL_VALUE = "137.25";

  /**
   * The demo banner lines {@code ./vigil up}'s demo switch prints on purpose: ingest's demo key and
   * alerts' demo nurse password. No other line may show a secret.
   */
  static final Pattern DEMO_BANNER =
      Pattern.compile(
          "^.*(demo: created source demo-platform \\(tenant demo, scopes write,read\\); its API"
              + " key, shown only now: vk_\\S+"
              + "|demo: created nurse account 'nurse' for care teams \\[[^]]*\\]; its password,"
              + " shown only now: \\S+) \\(also in \\S+demo\\.env\\)$");

  static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  static final Pattern BEARER_VALUE = Pattern.compile("(?i)bearer[\\s:=\"']+[A-Za-z0-9._~+/-]{8,}");
  static final Pattern AUTHORIZATION_VALUE =
      Pattern.compile("(?i)authorization[\"']?\\s*[:=]\\s*\\S+");

  @Test
  @Order(2)
  void noServicePrintsASecretOrAVitalValueOutsideTheDemoBanner() throws Exception {
    String key = demoEnv("VIGIL_API_KEY");
    String tenant = demoEnv("VIGIL_TENANT");
    String password = demoEnv("VIGIL_NURSE_PASSWORD");
    String wrongKey = key.substring(0, key.lastIndexOf('_') + 1) + "NotTheSecretNotTheSecret1";
    String wrongPassword = "wrong-" + password;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Instant start = now.minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.HOURS);
    String patient = "log-scan-1";
    URI ingest = URI.create("http://127.0.0.1:" + ingestPort);

    // Readings with the sentinel value as a platform sends them: a JSON batch (one of them with a
    // unit ingest rejects) and a FHIR Observation; the patient's context; a wrong key.
    StringBuilder batch = new StringBuilder("{\"readings\":[");
    for (int minute = 0; minute <= 3 * 60 + 10; minute += 10) {
      batch
          .append(minute == 0 ? "" : ",")
          .append(reading("scan-" + minute, patient, "/min", start.plusSeconds(60L * minute)));
    }
    batch.append(",").append(reading("scan-bad-unit", patient, "/fortnight", now)).append("]}");
    HttpResponse<String> posted =
        post(ingest.resolve("/v1/observations"), key, "application/json", batch.toString());
    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals(1, JSON.readTree(posted.body()).path("rejected").size(), posted.body());
    String fhir =
        "{\"resourceType\":\"Observation\",\"id\":\"scan-fhir\",\"status\":\"final\","
            + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
            + "\"subject\":{\"reference\":\"Patient/"
            + patient
            + "\"},\"effectiveDateTime\":\""
            + start.plus(Duration.ofMinutes(195))
            + "\",\"valueQuantity\":{\"value\":"
            + SENTINEL_VALUE
            + ",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
    HttpResponse<String> fhirPosted =
        post(ingest.resolve("/fhir/r4/Observation"), key, "application/fhir+json", fhir);
    assertEquals(201, fhirPosted.statusCode(), fhirPosted.body());
    HttpResponse<String> context =
        http.send(
            HttpRequest.newBuilder(ingest.resolve("/v1/patients/" + patient))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"careTeams\":[\"ward-1\"],\"age\":71}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(context.statusCode() / 100 == 2, context.body());
    HttpResponse<String> refused =
        post(ingest.resolve("/v1/observations"), wrongKey, "application/json", batch.toString());
    assertEquals(401, refused.statusCode(), refused.body());

    // The nurse: a wrong password, then a sign-in; the alert list; the session used as a bearer.
    HttpClient nurse = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    assertEquals(401, signIn(nurse, wrongPassword).statusCode());
    HttpResponse<String> signedIn = signIn(nurse, password);
    assertEquals(200, signedIn.statusCode(), signedIn.body());
    String jwt =
        signedIn.headers().allValues("Set-Cookie").stream()
            .map(Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")::matcher)
            .filter(Matcher::find)
            .map(Matcher::group)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no session token in " + signedIn.headers()));
    HttpResponse<String> alerts =
        nurse.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alertsPort + "/api/alerts"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, alerts.statusCode(), alerts.body());

    // The risk API with the platform's key, the nurse's session and a wrong key, once the
    // sentinel readings were scored.
    String riskPath =
        "/api/patients/"
            + tenant
            + "/"
            + patient
            + "/risk?from="
            + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(now.toString(), StandardCharsets.UTF_8);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> assertTrue(getJson(scoringPort, riskPath, key).toString().contains("lstmRisk")));
    assertTrue(getJson(scoringPort, riskPath, jwt).toString().contains("lstmRisk"));
    HttpResponse<String> wrongRisk =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scoringPort + riskPath))
                .header("Authorization", "Bearer " + wrongKey)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrongRisk.statusCode(), wrongRisk.body());
    Thread.sleep(2000); // what the services print about the session reaches the pumps

    String jwtSecret =
        Files.readString(home.resolve("alerts").resolve("jwt-secret"), StandardCharsets.UTF_8)
            .strip();
    List<String> secrets =
        List.of(
            key,
            key.substring(key.lastIndexOf('_') + 1),
            password,
            wrongKey.substring(wrongKey.lastIndexOf('_') + 1),
            wrongPassword,
            jwtSecret);
    List<String> findings = new ArrayList<>();
    int banners = 0;
    int lines = 0;
    for (int i = 0; i < services.size(); i++) {
      String name = services.get(i).name();
      for (String line : services.get(i).output()) {
        lines++;
        if (DEMO_BANNER.matcher(line).matches()) {
          banners++;
          continue;
        }
        for (String secret : secrets) {
          if (line.contains(secret)) {
            findings.add(name + " printed a secret: " + line);
          }
        }
        for (Pattern pattern : List.of(JWT, BEARER_VALUE, AUTHORIZATION_VALUE)) {
          if (pattern.matcher(line).find()) {
            findings.add(name + " printed a credential (" + pattern + "): " + line);
          }
        }
        if (line.contains(SENTINEL_VALUE)) {
          findings.add(name + " printed a vital value: " + line);
        }
      }
    }
    assertEquals(List.of(), findings);
    // The scan saw the services' output: the two banners the demo switch prints on purpose.
    assertEquals(2, banners, "demo banners among " + lines + " lines");
    assertTrue(
        services.get(0).output().stream().anyMatch(l -> l.contains(key)),
        "ingest's banner carries the demo key");
  }

  static String reading(String id, String patient, String unit, Instant time) {
    return "{\"id\":\""
        + id
        + "\",\"patientId\":\""
        + patient
        + "\",\"code\":\"heart_rate\",\"value\":"
        + SENTINEL_VALUE
        + ",\"unit\":\""
        + unit
        + "\",\"time\":\""
        + time
        + "\"}";
  }

  HttpResponse<String> post(URI uri, String bearer, String contentType, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> signIn(HttpClient client, String password) throws Exception {
    return NurseSignIn.post(
        client,
        URI.create("http://127.0.0.1:" + alertsPort),
        demoEnv("VIGIL_NURSE_USER"),
        password);
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
    for (PipelineService service : List.of(INGEST, SCORING, ALERTS)) {
      try (var files = Files.walk(ROOT.resolve(service.module()).resolve("src/main/java"))) {
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
