package io.vigil.deploy.local;

import static io.vigil.deploy.local.PipelineService.ALERTS;
import static io.vigil.deploy.local.PipelineService.INGEST;
import static io.vigil.deploy.local.PipelineService.SCORING;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three services with HTTPS on ({@code VIGIL_TLS_*}), each in a JVM of its own against a real
 * broker, with a self-signed certificate made by the JDK's {@code keytool} for this run: every
 * service presents that certificate and answers its health over HTTPS; plain HTTP on the same port
 * gets no answer; a client that does not trust the certificate is refused; ingest accepts readings
 * with the demo key; the nurse's session cookie is {@code Secure}; and the risk API answers from
 * two scoring instances, one of which must forward the query to the other over HTTPS.
 */
@WithKafka
class HttpsServicesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALIAS = "vigil";
  private static final String KEYSTORE_PASSWORD = "keystore-pw-for-tests";
  private static final String TRUSTSTORE_PASSWORD = "truststore-pw-for-tests";

  @Test
  void shouldServeEveryServiceOverHttpsOnlyAndForwardRiskQueriesOverHttps(
      TestKafka kafka, @TempDir Path work) throws Exception {
    Path keystore = work.resolve("server.p12");
    Path truststore = work.resolve("trust.p12");
    selfSignedCertificate(work, keystore, truststore);
    Map<String, String> tls =
        Map.of(
            "VIGIL_TLS_ENABLED",
            "true",
            "VIGIL_TLS_KEYSTORE",
            keystore.toString(),
            "VIGIL_TLS_KEYSTORE_PASSWORD",
            KEYSTORE_PASSWORD,
            "VIGIL_TLS_KEY_ALIAS",
            ALIAS,
            "VIGIL_TLS_TRUSTSTORE",
            truststore.toString(),
            "VIGIL_TLS_TRUSTSTORE_PASSWORD",
            TRUSTSTORE_PASSWORD);
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(ServiceProcess.trusting(tls))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Certificate served = loadCertificate(keystore);

    Path home = work.resolve("home");
    Files.createDirectories(home);
    List<ServiceProcess> services = new ArrayList<>();
    try {
      ServiceProcess ingest =
          start(services, "ingest", INGEST, "/health", work, tls, home, kafka, Map.of());
      ingest.awaitReady();
      ServiceProcess scoringA =
          start(
              services,
              "scoring-a",
              SCORING,
              "/health/readiness",
              work,
              tls,
              home,
              kafka,
              Map.of("SCORING_STATE_DIR", work.resolve("scoring-a").toString()));
      ServiceProcess scoringB =
          start(
              services,
              "scoring-b",
              SCORING,
              "/health/readiness",
              work,
              tls,
              home,
              kafka,
              Map.of("SCORING_STATE_DIR", work.resolve("scoring-b").toString()));
      ServiceProcess alerts =
          start(services, "alerts", ALERTS, "/health", work, tls, home, kafka, Map.of());
      scoringA.awaitReady();
      scoringB.awaitReady();
      alerts.awaitReady();

      // Health over HTTPS, with the configured certificate; nothing in plain text on that port.
      for (ServiceProcess service : services) {
        HttpResponse<String> health = get(trusting, service.baseUrl() + "/health", null);
        assertEquals(200, health.statusCode(), service.baseUrl() + ": " + health.body());
        assertEquals(
            served,
            health.sslSession().orElseThrow().getPeerCertificates()[0],
            service.baseUrl() + " presents another certificate than VIGIL_TLS_KEYSTORE's");
        String plain = service.baseUrl().replace("https://", "http://") + "/health";
        assertThrows(
            IOException.class,
            () -> get(HttpClient.newHttpClient(), plain, null),
            plain + " answered in plain HTTP");
        assertThrows(
            SSLHandshakeException.class,
            () -> get(HttpClient.newHttpClient(), service.baseUrl() + "/health", null),
            "a client that does not trust the certificate was served");
      }

      // Readings over HTTPS with the demo key, then the risk API from both scoring instances.
      String key = Ward.DemoEnv.read(home.resolve("demo.env"), "VIGIL_API_KEY").orElseThrow();
      String tenant = Ward.DemoEnv.read(home.resolve("demo.env"), "VIGIL_TENANT").orElseThrow();
      Instant start = Instant.now().minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.HOURS);
      List<String> patients = List.of("tls-1", "tls-2", "tls-3", "tls-4");
      HttpResponse<String> posted =
          trusting.send(
              HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/v1/observations"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(readings(patients, start)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, posted.statusCode(), posted.body());
      assertEquals(0, JSON.readTree(posted.body()).path("rejected").size(), posted.body());

      // Each patient is asked of both instances: at least one of them does not own the patient's
      // partition and answers only by forwarding the query over HTTPS to the owner.
      for (String patient : patients) {
        String riskPath =
            "/api/patients/"
                + tenant
                + "/"
                + patient
                + "/risk?from="
                + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8)
                + "&to="
                + URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8);
        for (ServiceProcess scoring : List.of(scoringA, scoringB)) {
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofSeconds(2))
              .untilAsserted(
                  () -> {
                    HttpResponse<String> risk =
                        get(trusting, scoring.baseUrl() + riskPath, "Bearer " + key);
                    assertEquals(200, risk.statusCode(), risk.body());
                    assertTrue(risk.body().contains("lstmRisk"), risk.body());
                  });
        }
      }
      for (ServiceProcess scoring : List.of(scoringA, scoringB)) {
        assertTrue(
            scoring.output().stream().noneMatch(l -> l.contains("did not answer")),
            "a forwarded query failed: " + scoring.output());
      }

      // The nurse signs in over HTTPS: the session cookie is never sent over plain HTTP.
      String user = Ward.DemoEnv.read(home.resolve("demo.env"), "VIGIL_NURSE_USER").orElseThrow();
      String password =
          Ward.DemoEnv.read(home.resolve("demo.env"), "VIGIL_NURSE_PASSWORD").orElseThrow();
      HttpResponse<String> login =
          NurseSignIn.post(trusting, URI.create(alerts.baseUrl()), user, password);
      assertEquals(200, login.statusCode(), login.body());
      List<String> cookies = login.headers().allValues("Set-Cookie");
      assertTrue(!cookies.isEmpty(), "no session cookie");
      for (String cookie : cookies) {
        assertTrue(cookie.matches("(?i).*;\\s*Secure(;.*|$)"), "cookie without Secure: " + cookie);
      }
    } finally {
      for (int i = services.size() - 1; i >= 0; i--) {
        services.get(i).stop();
      }
    }
  }

  private ServiceProcess start(
      List<ServiceProcess> services,
      String name,
      PipelineService service,
      String healthPath,
      Path work,
      Map<String, String> tls,
      Path home,
      TestKafka kafka,
      Map<String, String> extra)
      throws IOException {
    Map<String, String> environment = new HashMap<>(tls);
    environment.putAll(extra);
    ServiceProcess process =
        ServiceProcess.start(
            new ServiceSpec(
                name,
                LocalBrokerTest.freePort(),
                service.mainClass(),
                service.classpathFile(PipelineEndToEndTest.classpaths(work, service)),
                healthPath,
                List.of()),
            home,
            kafka.bootstrapServers(),
            environment);
    services.add(process);
    return process;
  }

  static HttpResponse<String> get(HttpClient client, String url, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Heart rate every 10 minutes for 3 h 10 min from {@code start}: three windows to score. */
  static String readings(List<String> patients, Instant start) {
    StringBuilder body = new StringBuilder("{\"readings\":[");
    boolean first = true;
    for (String patient : patients) {
      for (int minute = 0; minute <= 3 * 60 + 10; minute += 10) {
        body.append(first ? "" : ",")
            .append("{\"id\":\"")
            .append(patient)
            .append('-')
            .append(minute)
            .append("\",\"patientId\":\"")
            .append(patient)
            .append("\",\"code\":\"heart_rate\",\"value\":91,\"unit\":\"/min\",\"time\":\"")
            .append(start.plus(Duration.ofMinutes(minute)))
            .append("\"}");
        first = false;
      }
    }
    return body.append("]}").toString();
  }

  /**
   * A key pair and self-signed certificate for localhost and 127.0.0.1 in a PKCS12 key store, and
   * that certificate alone in a PKCS12 trust store, both made by the JDK's keytool.
   */
  static void selfSignedCertificate(Path work, Path keystore, Path truststore)
      throws IOException, InterruptedException {
    Path certificate = work.resolve("server.crt");
    keytool(
        "-genkeypair",
        "-alias",
        ALIAS,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost, O=Vigil test",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        KEYSTORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        ALIAS,
        "-keystore",
        keystore.toString(),
        "-storepass",
        KEYSTORE_PASSWORD,
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "vigil-test-ca",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        TRUSTSTORE_PASSWORD);
  }

  static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, process.exitValue(), "keytool " + String.join(" ", args) + ": " + output);
  }

  static Certificate loadCertificate(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, KEYSTORE_PASSWORD.toCharArray());
    }
    return store.getCertificate(ALIAS);
  }
}
