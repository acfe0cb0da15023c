package io.vigil.ingest.observations;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.ingest.http.JsonBodies;

/** JSON text of answers. */
final class Results {
  private Results() {}

  static String json(Object value) {
    try {
      return JsonBodies.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
