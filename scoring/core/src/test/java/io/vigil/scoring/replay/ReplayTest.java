package io.vigil.scoring.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.vigil.scoring.model.Json;
import io.vigil.scoring.physionet.PhysioNetReader;
import io.vigil.scoring.physionet.PhysioNetStay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays a fixture stay against a real local HTTP server that records what ingest would get. */
class ReplayTest {
  record Request(String method, String path, String auth, String body) {}

  HttpServer server;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger unavailable = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (unavailable.getAndDecrement() > 0) {
            ex.getResponseHeaders().add("Retry-After", "1");
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
          }
          requests.add(
              new Request(
                  ex.getRequestMethod(),
                  ex.getRequestURI().getPath(),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  body));
          int code = ex.getRequestURI().getPath().contains("refuse") ? 422 : 200;
          byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(code, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static PhysioNetStay stay() throws Exception {
    Path dir = Path.of(ReplayTest.class.getResource("/physionet2019/stays").toURI());
    return PhysioNetReader.read(dir).stays().get(0);
  }

  @Test
  void shouldPutTheContextThenPostEveryPlausibleReadingAtItsMappedTime() throws Exception {
    PhysioNetStay stay = stay();
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    int sent = new Replay(uri(), "k-123").replay(stay, "physionet-p000001", "icu", start, 100);

    assertEquals(stay.readings(start).size(), sent);
    Request context = requests.get(0);
    assertEquals("PUT", context.method());
    assertEquals("/v1/patients/physionet-p000001", context.path());
    assertEquals("Bearer k-123", context.auth());
    JsonNode ctx = Json.MAPPER.readTree(context.body());
    assertEquals(83, ctx.get("age").asInt());
    assertEquals("female", ctx.get("sex").asText());
    assertEquals("2026-11-01T00:00:00Z", ctx.get("monitoringStart").asText());

    int readings = 0;
    for (Request r : requests.subList(1, requests.size())) {
      assertEquals("POST", r.method());
      assertEquals("/v1/observations", r.path());
      JsonNode batch = Json.MAPPER.readTree(r.body()).get("readings");
      assertTrue(batch.size() <= 100);
      readings += batch.size();
    }
    assertEquals(sent, readings);
    JsonNode first = Json.MAPPER.readTree(requests.get(1).body()).get("readings").get(0);
    // ICULOS 2 is the first row with vitals: HR 97 at start + 1 h 30 min.
    assertEquals("p000001-2-heart_rate", first.get("id").asText());
    assertEquals("heart_rate", first.get("code").asText());
    assertEquals(97.0, first.get("value").asDouble());
    assertEquals("/min", first.get("unit").asText());
    assertEquals("2026-11-01T01:30:00Z", first.get("time").asText());
  }

  @Test
  void shouldRetryWhenIngestIsUnavailableAndStopOnRefusal() throws Exception {
    unavailable.set(1);
    new Replay(uri(), "k").replay(stay(), "p1", "icu", Instant.parse("2026-11-01T00:00:00Z"), 5000);
    assertEquals(2, requests.size(), "context and one batch, after one 503");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new Replay(uri(), "k")
                    .replay(stay(), "refuse", "icu", Instant.parse("2026-11-01T00:00:00Z"), 5000));
    assertTrue(e.getMessage().contains("422"), e.getMessage());
  }
}
