package io.vigil.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.tools.CommandRun;
import io.vigil.tools.physionet.PhysioNetFixture;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays fixture stays against a real local HTTP server that records what ingest would get. */
class ReplayTest {
  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  record Request(String method, String path, String auth, String body) {}

  HttpServer server;
  ExecutorService handlers;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  volatile long delayMillis;
  volatile String refuseId;
  volatile String shortId;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    handlers = Executors.newFixedThreadPool(8);
    server.setExecutor(handlers);
    server.createContext(
        "/",
        ex -> {
          int now = inFlight.incrementAndGet();
          maxInFlight.accumulateAndGet(now, Math::max);
          try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (unavailable.getAndDecrement() > 0) {
              ex.getResponseHeaders().add("Retry-After", "1");
              ex.sendResponseHeaders(503, -1);
              return;
            }
            String path = ex.getRequestURI().getPath();
            requests.add(
                new Request(
                    ex.getRequestMethod(),
                    path,
                    ex.getRequestHeaders().getFirst("Authorization"),
                    body));
            int code = path.contains("refuse") ? 422 : 200;
            int accepted = 0;
            String first = "";
            if (path.equals("/v1/observations")) {
              JsonNode readings = JSON.readTree(body).get("readings");
              accepted = readings.size();
              first = readings.get(0).get("id").asText();
              events.add("start " + first);
              for (JsonNode reading : readings) {
                String id = reading.get("id").asText();
                code = id.equals(refuseId) ? 422 : code;
                accepted -= id.equals(shortId) ? 1 : 0;
              }
              if (delayMillis > 0) {
                Thread.sleep(delayMillis);
              }
              events.add("end " + first);
            }
            byte[] answer =
                ("{\"accepted\":" + accepted + ",\"rejected\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, answer.length);
            ex.getResponseBody().write(answer);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            inFlight.decrementAndGet();
            ex.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static List<PhysioNetStay> stays() throws Exception {
    return PhysioNetReader.read(PhysioNetFixture.STAYS).stays();
  }

  List<JsonNode> postedReadings() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals("POST")) {
        JSON.readTree(r.body()).get("readings").forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void shouldPutTheContextThenPostEveryPlausibleReadingAtItsMappedTime() throws Exception {
    PhysioNetStay stay = stays().get(0);
    Replay.Result result =
        new Replay(uri(), "k-123")
            .replay(
                List.of(stay), Replay.Options.defaults(START).withCareTeam("icu").withBatch(100));

    assertEquals(stay.readings(START).size(), result.readings());
    assertEquals(Duration.ZERO, result.maxBehind());
    Request context = requests.get(0);
    assertEquals("PUT", context.method());
    assertEquals("/v1/patients/physionet-p000001", context.path());
    assertEquals("Bearer k-123", context.auth());
    JsonNode ctx = JSON.readTree(context.body());
    assertEquals("icu", ctx.get("careTeams").get(0).asText());
    assertEquals(83, ctx.get("age").asInt());
    assertEquals("female", ctx.get("sex").asText());
    assertEquals("2026-11-01T00:00:00Z", ctx.get("monitoringStart").asText());

    for (Request r : requests.subList(1, requests.size())) {
      assertEquals("POST", r.method());
      assertEquals("/v1/observations", r.path());
      assertTrue(JSON.readTree(r.body()).get("readings").size() <= 100);
    }
    assertEquals(result.requests(), requests.size() - 1);
    List<JsonNode> readings = postedReadings();
    assertEquals(result.readings(), readings.size());
    JsonNode first = readings.get(0);
    // ICULOS 2 is the first row with vitals: HR 97 at start + 1 h 30 min.
    assertEquals("p000001-2-heart_rate", first.get("id").asText());
    assertEquals("physionet-p000001", first.get("patientId").asText());
    assertEquals("physionet2019", first.get("deviceId").asText());
    assertEquals("heart_rate", first.get("code").asText());
    assertEquals(97.0, first.get("value").asDouble());
    assertEquals("/min", first.get("unit").asText());
    assertEquals("2026-11-01T01:30:00Z", first.get("time").asText());
  }

  @Test
  void shouldReplayFromTheCommandLineWithItsOptionsAndExitByTheOutcome() throws Exception {
    String dir = PhysioNetFixture.STAYS.toString();
    String[] argv = {
      dir,
      "--ingest",
      uri().toString(),
      "--api-key",
      "k-cli",
      "--start",
      START.toString(),
      "--limit",
      "2",
      "--care-team",
      "icu-cli",
      "--batch",
      "50",
      "--order",
      "time"
    };
    CommandRun run = CommandRun.of(new Replay.Cli(), argv);

    assertEquals(0, run.status(), run.err());
    List<PhysioNetStay> two = stays().subList(0, 2);
    List<Request> puts = requests.stream().filter(r -> r.method().equals("PUT")).toList();
    assertEquals(
        two.stream().map(stay -> "/v1/patients/physionet-" + stay.id()).toList(),
        puts.stream().map(Request::path).toList());
    assertEquals("Bearer k-cli", puts.get(0).auth());
    assertEquals("icu-cli", JSON.readTree(puts.get(0).body()).get("careTeams").get(0).asText());
    List<JsonNode> readings = postedReadings();
    assertEquals(
        two.get(0).readings(START).size() + two.get(1).readings(START).size(), readings.size());
    for (Request r : requests.subList(2, requests.size())) {
      assertTrue(JSON.readTree(r.body()).get("readings").size() <= 50);
    }

    refuseId = readings.get(0).get("id").asText();
    assertEquals(1, CommandRun.of(new Replay.Cli(), argv).status(), "refused by ingest");
    CommandRun zero = CommandRun.of(new Replay.Cli(), dir, "--api-key", "k", "--batch", "0");
    assertEquals(2, zero.status(), "usage error");
    assertTrue(zero.err().contains("batch"), zero.err());
  }

  @Test
  void shouldRetryWhenIngestIsUnavailableAndStopOnRefusal() throws Exception {
    unavailable.set(1);
    List<PhysioNetStay> one = List.of(stays().get(0));
    new Replay(uri(), "k").replay(one, Replay.Options.defaults(START).withBatch(5000));
    assertEquals(2, requests.size(), "context and one batch, after one 503");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new Replay(uri(), "k")
                    .replay(one, Replay.Options.defaults(START).withPrefix("refuse-")));
    assertTrue(e.getMessage().contains("422"), e.getMessage());
  }

  @Test
  void shouldFailLoudlyWhenARequestOfAConcurrentReplayIsRefusedOrNotFullyAccepted()
      throws Exception {
    List<PhysioNetStay> stays = stays();
    Replay.Options options =
        Replay.Options.defaults(START)
            .withOrder(Replay.Order.TIME)
            .withBatch(10)
            .withConcurrency(4);
    List<Replay.Batch> batches = new ArrayList<>();
    Replay.batches(stays, options.prefix(), START, 10, Replay.Order.TIME)
        .forEachRemaining(batches::add);
    refuseId = id(batches.get(30).items().get(3));
    IOException refused =
        assertThrows(IOException.class, () -> new Replay(uri(), "k").replay(stays, options));
    assertTrue(refused.getMessage().contains("422"), refused.getMessage());
    assertTrue(refused.getMessage().contains("request 30 "), refused.getMessage());

    refuseId = null;
    shortId = id(batches.get(50).items().get(9));
    IOException partial =
        assertThrows(IOException.class, () -> new Replay(uri(), "k").replay(stays, options));
    assertTrue(partial.getMessage().contains("accepted 9 of 10"), partial.getMessage());
    assertTrue(partial.getMessage().contains("request 50 "), partial.getMessage());
  }

  @Test
  void shouldPostStayByStayInEventTimeOrder() throws Exception {
    List<PhysioNetStay> stays = stays();
    List<Replay.Batch> batches = new ArrayList<>();
    Replay.batches(stays, "x-", START, 50, Replay.Order.STAYS).forEachRemaining(batches::add);
    List<Replay.Item> items = new ArrayList<>();
    for (Replay.Batch b : batches) {
      assertTrue(b.items().size() <= 50);
      assertEquals(1, b.items().stream().map(Replay.Item::patientId).distinct().count());
      items.addAll(b.items());
    }
    List<String> expected = new ArrayList<>();
    for (PhysioNetStay stay : stays) {
      for (PhysioNetStay.Reading r : stay.readings(START)) {
        expected.add("x-" + stay.id() + "@" + r.time() + "/" + r.vital().code());
      }
    }
    assertEquals(expected, items.stream().map(ReplayTest::describe).toList());
  }

  @Test
  void shouldInterleaveAllStaysByEventTime() throws Exception {
    List<PhysioNetStay> stays = stays();
    List<Replay.Batch> batches = new ArrayList<>();
    Replay.batches(stays, "x-", START, 7, Replay.Order.TIME).forEachRemaining(batches::add);
    List<Replay.Item> items = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      assertEquals(i, batches.get(i).index());
      assertTrue(batches.get(i).items().size() == 7 || i == batches.size() - 1);
      items.addAll(batches.get(i).items());
    }
    int total = stays.stream().mapToInt(s -> s.readings(START).size()).sum();
    assertEquals(total, items.size());
    assertEquals(total, new HashSet<>(items.stream().map(ReplayTest::describe).toList()).size());
    for (int i = 1; i < items.size(); i++) {
      Replay.Item a = items.get(i - 1);
      Replay.Item b = items.get(i);
      assertTrue(!b.time().isBefore(a.time()), a + " before " + b);
      if (a.time().equals(b.time())) {
        assertTrue(a.patientId().compareTo(b.patientId()) <= 0, a + " before " + b);
      }
    }
    assertTrue(
        batches.stream()
                .filter(b -> b.items().stream().map(Replay.Item::patientId).distinct().count() > 1)
                .count()
            > 10,
        "requests hold readings of several stays");
  }

  @Test
  void shouldShuffleWithinTheHorizon() {
    for (int horizon : List.of(1, 2, 4, 9)) {
      for (long seed = 0; seed < 50; seed++) {
        List<Integer> order = new ArrayList<>();
        Replay.shuffle(IntStream.range(0, 200).iterator(), horizon, new Random(seed))
            .forEachRemaining(order::add);
        assertEquals(IntStream.range(0, 200).boxed().toList(), sorted(order));
        for (int place = 0; place < order.size(); place++) {
          assertTrue(
              Math.abs(order.get(place) - place) <= horizon - 1,
              order.get(place) + " at place " + place + " with horizon " + horizon);
        }
        if (horizon > 1) {
          assertNotEquals(IntStream.range(0, 200).boxed().toList(), order);
        }
      }
    }
  }

  @Test
  void shouldKeepAtMostConcurrencyRequestsInFlightAndNeverOvertakeBeyondThem() throws Exception {
    delayMillis = 20;
    List<PhysioNetStay> stays = stays();
    Replay.Options options =
        Replay.Options.defaults(START)
            .withOrder(Replay.Order.TIME)
            .withBatch(10)
            .withConcurrency(4)
            .withShuffle(3, 11);
    Replay.Result result = new Replay(uri(), "k").replay(stays, options);

    List<JsonNode> readings = postedReadings();
    int total = stays.stream().mapToInt(s -> s.readings(START).size()).sum();
    assertEquals(total, readings.size());
    assertEquals(total, result.readings());
    Set<String> ids = new HashSet<>();
    readings.forEach(r -> ids.add(r.get("patientId").asText() + "/" + r.get("id").asText()));
    assertEquals(total, ids.size(), "every reading exactly once");
    assertEquals(4, maxInFlight.get());
    // Request i is sent only after every request up to i - 4 (in the order sent) was answered.
    List<String> sent = new ArrayList<>();
    Set<String> answered = new HashSet<>();
    for (String event : events) {
      String first = event.substring(event.indexOf(' ') + 1);
      if (event.startsWith("start ")) {
        sent.add(first);
        for (int j = 0; j <= sent.size() - 1 - 4; j++) {
          assertTrue(answered.contains(sent.get(j)), first + " sent before " + sent.get(j));
        }
      } else {
        answered.add(first);
      }
    }
    assertTrue(result.maxBehind().compareTo(Duration.ZERO) > 0);
    assertTrue(
        result.maxBehind().compareTo(Duration.ofHours(24)) < 0, result.maxBehind().toString());
  }

  @Test
  void shouldBoundHowFarAReadingMayArriveBehindItsPatientsLatest() throws Exception {
    Replay replay = new Replay(uri(), "k");
    List<Replay.Batch> inOrder =
        List.of(batch(0, "a", 1), batch(1, "a", 2), batch(2, "b", 9), batch(3, "a", 5));
    assertEquals(Duration.ZERO, replay.post(inOrder.iterator(), 1).maxBehind());
    // Two in flight: request 0 (a at 1 h) may be overtaken by request 1 (a at 2 h) only.
    assertEquals(Duration.ofHours(1), replay.post(inOrder.iterator(), 2).maxBehind());
    // Three in flight: request 1 (a at 2 h) may also be overtaken by request 3 (a at 5 h).
    assertEquals(Duration.ofHours(3), replay.post(inOrder.iterator(), 3).maxBehind());
    List<Replay.Batch> swapped = new ArrayList<>(inOrder);
    Collections.swap(swapped, 0, 3);
    assertEquals(Duration.ofHours(4), replay.post(swapped.iterator(), 1).maxBehind());
  }

  static Replay.Batch batch(int index, String patient, int hour) {
    Instant time = START.plus(Duration.ofHours(hour));
    String json =
        "{\"id\":\""
            + patient
            + "-"
            + hour
            + "\",\"patientId\":\""
            + patient
            + "\",\"code\":\"heart_rate\",\"value\":80,\"unit\":\"/min\",\"time\":\""
            + time
            + "\"}";
    return new Replay.Batch(index, List.of(new Replay.Item(patient, time, json)));
  }

  static String id(Replay.Item item) throws IOException {
    return JSON.readTree(item.json()).get("id").asText();
  }

  static String describe(Replay.Item item) {
    try {
      JsonNode node = JSON.readTree(item.json());
      assertEquals(item.patientId(), node.get("patientId").asText());
      assertEquals(item.time().toString(), node.get("time").asText());
      return item.patientId() + "@" + item.time() + "/" + node.get("code").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<Integer> sorted(List<Integer> values) {
    List<Integer> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }
}
