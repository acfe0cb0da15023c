package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;

/** JSON helpers for tests: building batches and reading answers. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode reading(
      String id, String patientId, String code, double value, String unit, Instant time) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("id", id);
    r.put("patientId", patientId);
    r.put("deviceId", "watch-1");
    r.put("code", code);
    r.put("value", value);
    r.put("unit", unit);
    r.put("time", time.toString());
    return r;
  }

  public static String batch(JsonNode... readings) {
    ObjectNode doc = MAPPER.createObjectNode();
    ArrayNode array = doc.putArray("readings");
    for (JsonNode r : readings) {
      array.add(r);
    }
    return doc.toString();
  }
}
