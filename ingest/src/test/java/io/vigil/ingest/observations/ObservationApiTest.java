package io.vigil.ingest.observations;

import static io.vigil.ingest.Json.batch;
import static io.vigil.ingest.Json.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservationApiTest {
  private TestKafka kafka;
  private IngestServer ingest;
  private String tenant;
  private String token;

  @BeforeAll
  void start(TestKafka kafka) {
    this.kafka = kafka;
    this.ingest = IngestServer.start(kafka);
    this.tenant = TestKafka.unique("clinic");
    this.token = ingest.addKey("platform-a", tenant);
  }

  @AfterAll
  void stop() {
    ingest.close();
  }

  private List<ConsumerRecord<PatientKey, VitalObservation>> onTopic(String patientId, int n) {
    return onTopic(patientId, n, Duration.ofSeconds(20));
  }

  /** Records of a patient; a 200 came after Kafka acknowledged them, so they are all there. */
  private List<ConsumerRecord<PatientKey, VitalObservation>> onTopic(
      String patientId, int n, Duration wait) {
    return kafka.consume(
        Topics.VITALS_OBSERVATIONS,
        n,
        wait,
        r -> r.key().getTenant().equals(tenant) && r.key().getPatientId().equals(patientId));
  }

  @Test
  void shouldWriteAcceptedReadingsInCanonicalUnitsKeyedByTenantAndPatient() {
    String patient = TestKafka.unique("p");
    Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    HttpResponse<String> response =
        ingest.postJson(
            "/v1/observations",
            token,
            batch(
                reading("r1", patient, "heart_rate", 72, "/min", t),
                reading("r2", patient, "8867-4", 1.5, "/s", t),
                reading("r3", patient, "body_temperature", 98.6, "[degF]", t),
                reading("r4", patient, "systolic_bp", 16, "kPa", t),
                reading("r5", patient, "oxygen_saturation", 0.94, "1", t),
                reading("r6", patient, "respiratory_rate", 18, "{breaths}/min", t),
                reading("r7", patient, "59408-5", 97, "%", t)));

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = Json.parse(response.body());
    assertEquals(7, body.get("accepted").asInt());
    assertEquals(0, body.get("rejected").size());

    Map<String, VitalObservation> byId =
        onTopic(patient, 7).stream()
            .map(ConsumerRecord::value)
            .collect(Collectors.toMap(VitalObservation::getReadingId, Function.identity()));
    assertEquals(7, byId.size());
    assertEquals(72.0, byId.get("r1").getValue());
    assertNull(byId.get("r1").getOriginalUnit(), "no conversion, no original unit");
    assertEquals(90.0, byId.get("r2").getValue(), "1.5 /s is 90 /min");
    assertEquals("/min", byId.get("r2").getUnit());
    assertEquals(37.0, byId.get("r3").getValue(), 1e-9, "98.6 [degF] is 37 Cel");
    assertEquals("Cel", byId.get("r3").getUnit());
    assertEquals(98.6, byId.get("r3").getOriginalValue());
    assertEquals("[degF]", byId.get("r3").getOriginalUnit());
    assertEquals(120.0, byId.get("r4").getValue(), 0.01, "16 kPa is 120 mm[Hg]");
    assertEquals("mm[Hg]", byId.get("r4").getUnit());
    assertEquals(94.0, byId.get("r5").getValue(), 1e-9, "SpO2 fraction 0.94 is 94 %");
    assertEquals(VitalType.OXYGEN_SATURATION, byId.get("r5").getVital());
    assertEquals(18.0, byId.get("r6").getValue());
    assertEquals("/min", byId.get("r6").getUnit());
    assertEquals("59408-5", byId.get("r7").getLoinc(), "the LOINC code sent is kept");
    assertEquals("8867-4", byId.get("r1").getLoinc(), "a Vigil name implies the primary LOINC");
    VitalObservation first = byId.get("r1");
    assertEquals("platform-a", first.getSourceId());
    assertEquals("watch-1", first.getDeviceId());
    assertEquals(t, first.getTime());
    assertTrue(!first.getTimeReceived().isBefore(t));
  }

  @Test
  void shouldRejectEachInvalidReadingWithItsIndexAndReasonAndAcceptTheRest() {
    String patient = TestKafka.unique("p");
    Instant now = Instant.now();
    ObjectNode missingUnit = reading("m1", patient, "heart_rate", 70, "/min", now);
    missingUnit.remove("unit");
    ObjectNode stringValue = reading("s1", patient, "heart_rate", 70, "/min", now);
    stringValue.put("value", "70");
    ObjectNode badTime = reading("b1", patient, "heart_rate", 70, "/min", now);
    badTime.put("time", "2026-11-25 08:00");
    String body =
        batch(
                reading("ok1", patient, "heart_rate", 70, "/min", now),
                reading("u1", patient, "glucose", 5, "mmol/L", now),
                reading("c1", patient, "heart_rate", 70, "mm[Hg]", now),
                reading("o1", patient, "oxygen_saturation", 101, "%", now),
                reading("o2", patient, "body_temperature", 24.9, "Cel", now),
                reading(
                    "f1", patient, "body_temperature", 37.0, "Cel", now.plus(Duration.ofHours(1))),
                reading("a1", patient, "heart_rate", 70, "/min", now.minus(Duration.ofDays(31))),
                reading("ok1", patient, "heart_rate", 71, "/min", now),
                missingUnit,
                stringValue,
                badTime)
            .replace(
                "]}",
                ",{\"id\":\"n1\",\"patientId\":\""
                    + patient
                    + "\",\"code\":\"heart_rate\",\"value\":NaN,\"unit\":\"/min\",\"time\":\""
                    + now
                    + "\"}"
                    + ",{\"id\":\"n2\",\"patientId\":\""
                    + patient
                    + "\",\"code\":\"heart_rate\",\"value\":1e999,\"unit\":\"/min\",\"time\":\""
                    + now
                    + "\"}]}");

    HttpResponse<String> response = ingest.postJson("/v1/observations", token, body);

    assertEquals(200, response.statusCode(), response.body());
    JsonNode result = Json.parse(response.body());
    assertEquals(1, result.get("accepted").asInt());
    List<String> got =
        java.util.stream.StreamSupport.stream(result.get("rejected").spliterator(), false)
            .map(
                r ->
                    r.get("index").asInt()
                        + ":"
                        + r.get("reason").asText()
                        + ":"
                        + r.get("field").asText())
            .toList();
    assertEquals(
        List.of(
            "1:unknown_code:code",
            "2:unit_not_convertible:unit",
            "3:out_of_range:value",
            "4:out_of_range:value",
            "5:time_in_future:time",
            "6:time_too_old:time",
            "7:duplicate_id:id",
            "8:missing_field:unit",
            "9:invalid_field:value",
            "10:invalid_field:time",
            "11:non_finite_value:value",
            "12:non_finite_value:value"),
        got);
    JsonNode unit = result.get("rejected").get(1);
    assertEquals("c1", unit.get("id").asText());
    assertTrue(unit.get("detail").asText().contains("accepted UCUM units: /min"), unit.toString());
    assertTrue(
        result.get("rejected").get(2).get("detail").asText().contains("plausible range 40..100 %"));

    List<ConsumerRecord<PatientKey, VitalObservation>> written =
        onTopic(patient, 2, Duration.ofSeconds(4));
    assertEquals(1, written.size(), "only the valid reading is written");
    assertEquals(70.0, written.get(0).value().getValue(), "the first of two duplicate ids wins");
  }

  @Test
  void shouldRejectIdentifiersThatBreakTheRulesReadingByReading() {
    String patient = TestKafka.unique("p");
    Instant now = Instant.now();
    ObjectNode longDevice = reading("d1", patient, "heart_rate", 70, "/min", now);
    longDevice.put("deviceId", "w".repeat(129));
    ObjectNode noDevice = reading("ok2", patient, "heart_rate", 71, "/min", now);
    noDevice.put("deviceId", "");
    String body =
        batch(
            reading("ok1", patient, "heart_rate", 70, "/min", now),
            reading("l1", "p".repeat(129), "heart_rate", 70, "/min", now),
            reading("l2", "p".repeat(100_000), "heart_rate", 70, "/min", now),
            reading("s1", patient + "/x", "heart_rate", 70, "/min", now),
            reading("id 1", patient, "heart_rate", 70, "/min", now),
            reading("r".repeat(129), patient, "heart_rate", 70, "/min", now),
            reading("u1", "patient-ü", "heart_rate", 70, "/min", now),
            longDevice,
            noDevice,
            reading("ok3", "p".repeat(128), "heart_rate", 72, "/min", now));

    HttpResponse<String> response = ingest.postJson("/v1/observations", token, body);

    assertEquals(200, response.statusCode(), response.body());
    JsonNode result = Json.parse(response.body());
    assertEquals(3, result.get("accepted").asInt(), response.body());
    List<String> got =
        java.util.stream.StreamSupport.stream(result.get("rejected").spliterator(), false)
            .map(
                r ->
                    r.get("index").asInt()
                        + ":"
                        + r.get("reason").asText()
                        + ":"
                        + r.get("field").asText())
            .toList();
    assertEquals(
        List.of(
            "1:invalid_id:patientId",
            "2:invalid_id:patientId",
            "3:invalid_id:patientId",
            "4:invalid_id:id",
            "5:invalid_id:id",
            "6:invalid_id:patientId",
            "7:invalid_id:deviceId"),
        got);
    JsonNode rejected = result.get("rejected");
    assertTrue(
        rejected.get(1).get("detail").asText().contains("100000 characters long; at most 128"),
        rejected.get(1).toString());
    assertTrue(rejected.get(1).get("detail").asText().length() < 300, "not echoed whole");
    assertTrue(rejected.get(2).get("detail").asText().contains("'/'"));
    assertTrue(rejected.get(3).get("detail").asText().contains("white space"));
    assertTrue(rejected.get(5).get("detail").asText().contains("non-ASCII"));

    List<ConsumerRecord<PatientKey, VitalObservation>> written =
        onTopic(patient, 3, Duration.ofSeconds(4));
    assertEquals(2, written.size(), "ok1 and ok2 for this patient");
    assertTrue(
        written.stream().anyMatch(r -> r.value().getDeviceId() == null), "empty deviceId: none");
    assertEquals(1, onTopic("p".repeat(128), 1).size(), "the longest allowed patient id");
  }

  @Test
  void shouldAnswer422WhenEveryReadingIsRejected() {
    String patient = TestKafka.unique("p");
    HttpResponse<String> response =
        ingest.postJson(
            "/v1/observations",
            token,
            batch(reading("x1", patient, "heart_rate", 500, "/min", Instant.now())));
    assertEquals(422, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:all-readings-rejected", problem.get("type").asText());
    assertEquals("out_of_range", problem.get("rejected").get(0).get("reason").asText());
  }

  @Test
  void shouldAnswerMalformedJsonWithLineAndColumn() {
    HttpResponse<String> response =
        ingest.postJson("/v1/observations", token, "{\"readings\": [\n  {\"id\": \"a\",, }\n]}");
    assertEquals(400, response.statusCode());
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:malformed-json", problem.get("type").asText());
    assertEquals(2, problem.get("line").asInt());
    assertEquals(14, problem.get("column").asInt(), "the second comma");
    assertEquals(400, problem.get("status").asInt());
  }

  @Test
  void shouldAnswer400ForAWrongDocumentShape() {
    HttpResponse<String> response = ingest.postJson("/v1/observations", token, "{\"reading\": []}");
    assertEquals(400, response.statusCode());
    assertEquals(
        "urn:vigil:problem:invalid-request", Json.parse(response.body()).get("type").asText());
  }

  @Test
  void shouldAnswer415ForAnotherContentType() {
    HttpResponse<String> response =
        ingest.post("/v1/observations", token, "text/plain", "{\"readings\": []}");
    assertEquals(415, response.statusCode());
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:unsupported-media-type", problem.get("type").asText());
    assertTrue(problem.get("detail").asText().contains("text/plain"));
  }

  @Test
  void shouldAnswer413ForTooManyReadings() {
    StringBuilder body = new StringBuilder("{\"readings\":[");
    for (int i = 0; i <= 5000; i++) {
      body.append(i == 0 ? "{}" : ",{}");
    }
    body.append("]}");
    HttpResponse<String> response = ingest.postJson("/v1/observations", token, body.toString());
    assertEquals(413, response.statusCode());
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:batch-too-large", problem.get("type").asText());
    assertEquals(5000, problem.get("limit").asInt());
    assertEquals(5001, problem.get("received").asInt());
  }

  @Test
  void shouldAnswer413ForABodyOverOneMebibyte() {
    String padding = "x".repeat(1024 * 1024);
    HttpResponse<String> response =
        ingest.postJson("/v1/observations", token, "{\"pad\":\"" + padding + "\",\"readings\":[]}");
    assertEquals(413, response.statusCode());
    assertEquals(
        "urn:vigil:problem:body-too-large", Json.parse(response.body()).get("type").asText());
  }

  @Test
  void shouldAnswer401ForMissingWrongOrMalformedKeys() {
    String body = batch(reading("k1", "p", "heart_rate", 70, "/min", Instant.now()));
    for (String bad : new String[] {null, "vk_0000_nothing", token + "x", "not-a-key"}) {
      HttpResponse<String> response = ingest.postJson("/v1/observations", bad, body);
      assertEquals(401, response.statusCode(), "key " + bad);
      assertEquals("application/problem+json", response.headers().firstValue("Content-Type").get());
      assertEquals(
          "urn:vigil:problem:unauthorized", Json.parse(response.body()).get("type").asText());
      assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent());
    }
  }

  @Test
  void shouldAnswerProblemJsonForUnknownRoutes() {
    HttpResponse<String> response = ingest.send("GET", "/v1/nothing-here", token, null, null);
    assertEquals(404, response.statusCode());
    assertEquals("urn:vigil:problem:not-found", Json.parse(response.body()).get("type").asText());
  }

  @Test
  void shouldAnswer405ForAWrongMethod() {
    HttpResponse<String> response = ingest.send("GET", "/v1/observations", token, null, null);
    assertEquals(405, response.statusCode());
    assertEquals(
        "urn:vigil:problem:method-not-allowed", Json.parse(response.body()).get("type").asText());
  }
}
