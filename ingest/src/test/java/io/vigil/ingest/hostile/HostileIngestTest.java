package io.vigil.ingest.hostile;

import static io.vigil.ingest.hostile.HostileJson.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.ingest.hostile.HostileJson.Reading;
import io.vigil.ingest.observations.RejectionReason;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.admin.Admin;

/**
 * Generated hostile input against the ingest service on a real broker: mixed JSON batches, raw
 * bodies on every route, FHIR Observations and Bundles, patient contexts alone and in bulk, slow
 * clients within the limits, and all of it while Kafka is down. Properties: no 5xx but 503 (and
 * that only while Kafka is down); every rejected reading or context names a known reason and a
 * short detail; the good items of a mixed request are accepted; the service stays live. A failing
 * property prints its seed; {@code @Property(seed = "...")} replays it.
 */
class HostileIngestTest {
  private static final List<String> PATIENTS = List.of("p-1", "p-2", "p-3", "p-4");
  private static final Set<String> REASONS =
      Arrays.stream(RejectionReason.values())
          .map(RejectionReason::code)
          .collect(Collectors.toSet());
  private static final String FHIR = "application/fhir+json";

  private static TestKafka kafka;
  private static IngestServer ingest;
  private static IngestServer down;
  private static String token;
  private static String downToken;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeContainer
  static void start() throws Exception {
    // The jqwik engine runs no Jupiter extension (no @WithKafka): a broker of its own.
    kafka = TestKafka.startInJvm(1);
    try (Admin admin = kafka.admin()) {
      TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
    }
    ingest = IngestServer.start(kafka);
    token = ingest.addKey("hostile-platform", "hostile");
    down =
        IngestServer.start(
            kafka,
            Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:1",
                "vigil.ingest.kafka-timeout", "1s",
                "vigil.ingest.max-patients-per-tenant", 0));
    downToken = down.addKey("hostile-platform", "hostile");
  }

  @AfterContainer
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
    if (down != null) {
      down.close();
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  /** A request's items as sent, and which of them must be rejected. */
  record Mixed(List<String> items, Set<Integer> bad) {
    String body() {
      return "{\"readings\":[" + String.join(",", items) + "]}";
    }

    int good() {
      return items.size() - bad.size();
    }
  }

  @Provide
  Arbitrary<Mixed> mixedBatches() {
    Instant now = Instant.now();
    Arbitrary<Reading> good = HostileJson.good(PATIENTS, now, "g-");
    Arbitrary<String> hostile = HostileJson.hostile(HostileJson.good(PATIENTS, now, "h-"), now);
    return Combinators.combine(
            good.list().ofMaxSize(15).uniqueElements(Reading::id),
            hostile.list().ofMaxSize(15),
            Arbitraries.integers().between(0, 3),
            Arbitraries.randoms())
        .as(HostileIngestTest::mix)
        .filter(m -> !m.items().isEmpty());
  }

  /** Good and hostile items shuffled, then re-sent ids of good readings (duplicates) at the end. */
  private static Mixed mix(
      List<Reading> goods, List<String> hostiles, int duplicates, Random random) {
    List<String> items = new ArrayList<>();
    List<Boolean> isBad = new ArrayList<>();
    goods.forEach(
        g -> {
          items.add(g.json());
          isBad.add(false);
        });
    hostiles.forEach(
        h -> {
          items.add(h);
          isBad.add(true);
        });
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<String> shuffled = new ArrayList<>();
    Set<Integer> bad = new HashSet<>();
    for (int i : order) {
      if (isBad.get(i)) {
        bad.add(shuffled.size());
      }
      shuffled.add(items.get(i));
    }
    for (int d = 0; d < duplicates && !goods.isEmpty(); d++) {
      Reading again = goods.get(random.nextInt(goods.size()));
      bad.add(shuffled.size());
      shuffled.add(again.with("value", "77").json());
    }
    return new Mixed(shuffled, bad);
  }

  @Property(tries = 60)
  void goodReadingsOfAMixedBatchAreAcceptedAndEveryOtherHasASpecificReason(
      @ForAll("mixedBatches") Mixed batch) {
    HttpResponse<String> response = ingest.postJson("/v1/observations", token, batch.body());

    assertEquals(batch.good() > 0 ? 200 : 422, response.statusCode(), response.body());
    JsonNode body = Json.parse(response.body());
    assertEquals(batch.good(), body.get("accepted").asInt(), response.body());
    Set<Integer> rejected = new HashSet<>();
    for (JsonNode r : body.get("rejected")) {
      rejected.add(r.get("index").asInt());
      assertSpecific(r);
    }
    assertEquals(batch.bad(), rejected, response.body());
  }

  /** A known reason and a detail that says something without echoing a whole hostile value. */
  private static void assertSpecific(JsonNode rejection) {
    assertTrue(REASONS.contains(rejection.path("reason").asText()), rejection.toString());
    String detail = rejection.path("detail").asText();
    assertFalse(detail.isBlank(), rejection.toString());
    assertTrue(detail.length() < 400, rejection.toString());
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Instant now = Instant.now();
    String valid =
        "{\"readings\":["
            + HostileJson.good(PATIENTS, now, "t-").sample().json()
            + ","
            + HostileJson.good(PATIENTS, now, "t-").sample().json()
            + "]}";
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
        Arbitraries.integers()
            .between(0, valid.length() - 1)
            .map(n -> valid.substring(0, n).getBytes(StandardCharsets.UTF_8)),
        Arbitraries.integers()
            .between(500, 200_000)
            .map(d -> HostileJson.nested(d).getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.integers()
            .between(500, 100_000)
            .map(
                d ->
                    ("{\"a\":".repeat(d) + "1" + "}".repeat(d))
                        .getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.integers()
            .between(1000, 500_000)
            .map(n -> ("{\"readings\":[{\"value\":" + "9".repeat(n) + "}]}").getBytes()),
        Arbitraries.of(
                "{\"readings\":[{\"id\":\"\\ud800\"}]}",
                "{\"readings\":{}}",
                "{\"patients\":null}",
                "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{}]}",
                "{\"resourceType\":\"Bundle\",\"type\":\"history\"}",
                "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":\"NaN\"}}",
                "{\"resourceType\":\"Patient\",\"birthDate\":\"0000-00-00\"}",
                "{\"resourceType\":\"Nonsense\"}",
                "{\"readings\":[]}",
                "[]",
                "{}",
                "\uFEFF{}",
                "{\"a\":1,\"a\":2}",
                "nul")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.of(
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
            new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},
            new byte[] {'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'}));
  }

  @Provide
  Arbitrary<String[]> routes() {
    return Arbitraries.of(
        new String[] {"POST", "/v1/observations"},
        new String[] {"POST", "/v1/patients"},
        new String[] {"PUT", "/v1/patients/p-1"},
        new String[] {"PUT", "/v1/patients/p%00x"},
        new String[] {"POST", "/fhir/r4"},
        new String[] {"POST", "/fhir/r4/Observation"});
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "application/json", FHIR, "application/json; charset=utf-16", "text/plain", "");
  }

  @Property(tries = 120)
  void noBodyOnAnyRouteIsAnsweredWithAServerError(
      @ForAll("bodies") byte[] body,
      @ForAll("routes") String[] route,
      @ForAll("contentTypes") String contentType)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(ingest.uri(route[1]))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(route[0], HttpRequest.BodyPublishers.ofByteArray(body));
    if (!contentType.isEmpty()) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

    assertTrue(response.statusCode() < 500, response.statusCode() + " " + response.body());
    if (response.statusCode() >= 400) {
      JsonNode problem = Json.parse(response.body());
      assertTrue(problem.has("type") || problem.has("issue"), response.body());
    }
    assertEquals(200, ingest.get("/health/live").statusCode());
  }

  /** One FHIR Observation, broken or not, as JSON text, and whether it must be rejected. */
  record Fhir(String json, boolean bad) {}

  @Provide
  Arbitrary<Fhir> observations() {
    Instant now = Instant.now();
    Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofLength(10).map(s -> "o-" + s);
    Arbitrary<Fhir> good =
        Combinators.combine(
                ids,
                Arbitraries.of(PATIENTS),
                Arbitraries.integers().between(50, 120),
                Arbitraries.integers().between(0, 600))
            .as(
                (id, patient, value, ago) ->
                    new Fhir(
                        observation(
                            quote(id),
                            quote("Patient/" + patient),
                            "\"8867-4\"",
                            Integer.toString(value),
                            "\"/min\"",
                            quote(now.minus(Duration.ofMinutes(ago)).toString())),
                        false));
    Arbitrary<Fhir> bad =
        Combinators.combine(
                ids,
                Arbitraries.integers().between(0, 6),
                HostileJson.badIdentifier(),
                Arbitraries.of("1e308", "-5", "0", "99999999", "1e-300"))
            .as(
                (id, kind, text, number) -> {
                  String time = quote(now.minus(Duration.ofMinutes(5)).toString());
                  String json =
                      switch (kind) {
                        case 0 ->
                            observation(
                                quote(text.isEmpty() ? "x y" : text.replace('"', 'x')),
                                "\"Patient/p-1\"",
                                "\"8867-4\"",
                                "80",
                                "\"/min\"",
                                time);
                        case 1 ->
                            observation(
                                quote(id),
                                quote("Patient/" + text),
                                "\"8867-4\"",
                                "80",
                                "\"/min\"",
                                time);
                        case 2 ->
                            observation(
                                quote(id),
                                "\"Patient/p-1\"",
                                "\"8867-4\"",
                                number,
                                "\"/min\"",
                                time);
                        case 3 ->
                            observation(
                                quote(id), "\"Patient/p-1\"", "\"0000-0\"", "80", "\"/min\"", time);
                        case 4 ->
                            observation(
                                quote(id), "\"Patient/p-1\"", "\"8867-4\"", "80", "\"mmHg\"", time);
                        case 5 ->
                            observation(
                                quote(id), "\"Group/g-1\"", "\"8867-4\"", "80", "\"/min\"", time);
                        default ->
                            observation(
                                quote(id),
                                "\"Patient/p-1\"",
                                "\"8867-4\"",
                                "80",
                                "\"/min\"",
                                quote(now.plus(Duration.ofDays(3)).toString()));
                      };
                  return new Fhir(json, true);
                });
    return Arbitraries.oneOf(good, bad);
  }

  private static String observation(
      String id, String subject, String loinc, String value, String unit, String time) {
    return "{\"resourceType\":\"Observation\",\"id\":"
        + id
        + ",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
        + loinc
        + "}]},\"subject\":{\"reference\":"
        + subject
        + "},\"effectiveDateTime\":"
        + time
        + ",\"valueQuantity\":{\"value\":"
        + value
        + ",\"system\":\"http://unitsofmeasure.org\",\"code\":"
        + unit
        + "}}";
  }

  @Property(tries = 30)
  void eachEntryOfAFhirBatchIsAnsweredOnItsOwn(
      @ForAll @Size(max = 12) List<@From("observations") Fhir> entries) {
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
            + entries.stream()
                .map(e -> "{\"resource\":" + e.json() + "}")
                .collect(Collectors.joining(","))
            + "]}";
    HttpResponse<String> response = ingest.post("/fhir/r4", token, FHIR, bundle);

    if (response.statusCode() == 400) {
      // HAPI's strict parser refuses the whole Bundle for some ids; it must say so.
      assertTrue(response.body().contains("invalid-fhir-resource"), response.body());
      return;
    }
    assertEquals(200, response.statusCode(), response.body());
    JsonNode answered = Json.parse(response.body()).path("entry");
    assertEquals(entries.size(), answered.size(), response.body());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String status = answered.get(i).get("response").get("status").asText();
      boolean repeated = !seen.add(idOf(entries.get(i).json()));
      if (entries.get(i).bad() || repeated) {
        assertTrue(status.startsWith("422"), response.body());
        JsonNode issue = answered.get(i).get("response").get("outcome").get("issue").get(0);
        assertTrue(
            REASONS.contains(issue.path("details").path("coding").path(0).path("code").asText()),
            issue.toString());
      } else {
        assertEquals("201 Created", status, response.body());
      }
    }
  }

  private static String idOf(String observation) {
    return Json.parse(observation).path("id").asText();
  }

  /**
   * A patient in a bulk request: its patient id as JSON text (null: absent), the other members, or
   * the whole item when it is not an object; and whether it must be rejected.
   */
  record Context(String id, String idJson, String members, String notAnObject, boolean bad) {
    String json() {
      if (notAnObject != null) {
        return notAnObject;
      }
      return "{" + (idJson == null ? "" : "\"patientId\":" + idJson + ",") + members + "}";
    }
  }

  @Provide
  Arbitrary<Context> contexts() {
    Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofLength(10).map(s -> "c-" + s);
    Arbitrary<Context> good =
        Combinators.combine(
                ids,
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(64),
                Arbitraries.integers().between(0, 130),
                Arbitraries.of("female", "male", "other", "unknown", "FEMALE"))
            .as(
                (id, team, age, sex) ->
                    new Context(
                        id,
                        quote(id),
                        "\"careTeams\":["
                            + quote(team)
                            + "],\"age\":"
                            + age
                            + ",\"sex\":"
                            + quote(sex)
                            + ",\"oxygenTherapy\":true",
                        null,
                        false));
    Arbitrary<String> badMember =
        Arbitraries.oneOf(
            Arbitraries.of(
                "\"careTeams\":[]",
                "\"careTeams\":\"ward-1\"",
                "\"careTeams\":[\"\"]",
                "\"careTeams\":[42]",
                "\"careTeams\":[[\"ward\"]]",
                "\"careTeams\":null",
                "\"age\":-1",
                "\"age\":131",
                "\"age\":1e999",
                "\"age\":NaN",
                "\"age\":70.5",
                "\"age\":\"70\"",
                "\"age\":99999999999999999999",
                "\"sex\":\"robot\"",
                "\"sex\":7",
                "\"oxygenTherapy\":\"yes\"",
                "\"spo2Scale2\":1",
                "\"consciousness\":\"asleep\"",
                "\"consciousness\":\"alert\"",
                "\"consciousnessTime\":\"2026-11-25T08:00:00Z\"",
                "\"monitoringStart\":\"tomorrow\"",
                "\"monitoringStart\":\"2999-01-01T00:00:00Z\"",
                "\"tenant\":\"someone-else\"",
                "\"extra\":{\"nested\":[1,2,3]}"),
            Arbitraries.strings()
                .ofMinLength(65)
                .ofMaxLength(2000)
                .map(s -> "\"careTeams\":[" + quote(s) + "]"));
    Arbitrary<Context> badField =
        Combinators.combine(ids, badMember)
            .as(
                (id, member) ->
                    new Context(
                        id,
                        quote(id),
                        member.startsWith("\"careTeams\"")
                            ? member
                            : "\"careTeams\":[\"ward-1\"]," + member,
                        null,
                        true));
    Arbitrary<Context> badId =
        Combinators.combine(
                HostileJson.badIdentifier(), HostileJson.wrongType(), Arbitraries.of(true, false))
            .as(
                (text, wrong, typed) ->
                    new Context(
                        null,
                        typed ? quote(text) : wrong,
                        "\"careTeams\":[\"ward-1\"]",
                        null,
                        true));
    Arbitrary<Context> noId =
        Arbitraries.just(new Context(null, null, "\"careTeams\":[\"ward-1\"]", null, true));
    Arbitrary<Context> notAnObject =
        Arbitraries.of("1", "null", "[]", "\"p-1\"", "true")
            .map(j -> new Context(null, null, null, j, true));
    return Arbitraries.frequencyOf(
        Tuple.of(4, good),
        Tuple.of(3, badField),
        Tuple.of(2, badId),
        Tuple.of(1, noId),
        Tuple.of(1, notAnObject));
  }

  @Property(tries = 40)
  void goodPatientsOfABulkRequestAreAcceptedAndEveryOtherHasASpecificReason(
      @ForAll @Size(max = 30) List<@From("contexts") Context> items) {
    HttpResponse<String> response =
        ingest.postJson(
            "/v1/patients",
            token,
            "{\"patients\":["
                + items.stream().map(Context::json).collect(Collectors.joining(","))
                + "]}");

    // A patient id seen before in the request (good or bad item) makes a good item a duplicate.
    Set<String> seen = new HashSet<>();
    List<Boolean> expectBad = new ArrayList<>();
    for (Context c : items) {
      boolean repeated = c.id() != null && !seen.add(c.id());
      expectBad.add(c.bad() || repeated);
    }
    boolean anyGood = expectBad.contains(false);
    assertEquals(anyGood || items.isEmpty() ? 200 : 422, response.statusCode(), response.body());
    JsonNode results = Json.parse(response.body()).get("results");
    assertEquals(items.size(), results.size(), response.body());
    for (int i = 0; i < items.size(); i++) {
      JsonNode result = results.get(i);
      if (expectBad.get(i)) {
        assertEquals("rejected", result.get("status").asText(), result.toString());
        assertFalse(result.path("errors").isEmpty(), result.toString());
        result.get("errors").forEach(HostileIngestTest::assertSpecific);
      } else {
        assertEquals("accepted", result.get("status").asText(), result.toString());
      }
    }
  }

  @Property(tries = 30)
  void aSinglePatientContextIsStoredOrRefusedWithAReason(@ForAll("contexts") Context item) {
    String id = item.id() == null ? "p-from-path" : item.id();
    String body = item.notAnObject() != null ? item.notAnObject() : "{" + item.members() + "}";
    HttpResponse<String> response =
        ingest.send("PUT", "/v1/patients/" + id, token, "application/json", body);

    assertTrue(response.statusCode() < 500, response.body());
    if (!item.bad()) {
      assertEquals(200, response.statusCode(), response.body());
    } else if (item.id() != null) {
      assertTrue(List.of(400, 422).contains(response.statusCode()), response.body());
    }
  }

  @Property(tries = 8)
  void whileKafkaIsDownOnly503TellsTheClientToResend(@ForAll("mixedBatches") Mixed batch) {
    HttpResponse<String> response = down.postJson("/v1/observations", downToken, batch.body());

    if (batch.good() > 0) {
      assertEquals(503, response.statusCode(), response.body());
      assertTrue(response.headers().firstValue("Retry-After").isPresent());
    } else {
      assertEquals(422, response.statusCode(), response.body());
    }
  }

  @Property(tries = 4)
  void aSlowClientWithinTheLimitsIsServed(
      @ForAll("mixedBatches") Mixed batch, @ForAll @IntRange(min = 2, max = 8) int pieces)
      throws IOException {
    byte[] body = batch.body().getBytes(StandardCharsets.UTF_8);
    URI uri = ingest.uri("/v1/observations");
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/observations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + token
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      int step = Math.max(1, body.length / pieces);
      for (int at = 0; at < body.length; at += step) {
        out.write(body, at, Math.min(step, body.length - at));
        out.flush();
        LockSupport.parkNanos(Duration.ofMillis(150).toNanos()); // a slow uplink, on purpose
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      String text = answer.toString(StandardCharsets.UTF_8);
      assertTrue(text.startsWith(batch.good() > 0 ? "HTTP/1.1 200" : "HTTP/1.1 422"), text);
    }
  }
}
