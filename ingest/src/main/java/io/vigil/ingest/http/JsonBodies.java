package io.vigil.ingest.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads request bodies as JSON trees. Parsing is done here rather than by data binding so that a
 * syntax error is answered with its line and column, and so that a NaN or an overflowing number in
 * one reading rejects that reading, not the whole batch.
 */
public final class JsonBodies {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonBodies() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Checks the request is JSON (or one of {@code alsoAccepted}), else 415. */
  public static void requireContentType(HttpRequest<?> request, String... alsoAccepted) {
    Optional<MediaType> type = request.getContentType();
    String name = type.map(MediaType::getName).orElse("").toLowerCase(Locale.ROOT);
    if (name.equals(MediaType.APPLICATION_JSON)) {
      return;
    }
    for (String other : alsoAccepted) {
      if (name.equals(other)) {
        return;
      }
    }
    String expected =
        alsoAccepted.length == 0
            ? MediaType.APPLICATION_JSON
            : MediaType.APPLICATION_JSON + " or " + String.join(" or ", alsoAccepted);
    throw new ProblemException(
        ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be " + expected + ", not " + (name.isEmpty() ? "missing" : name));
  }

  /** Reads a body with a token stream; {@code reader} gets the parser before the first token. */
  public static <T> T stream(byte[] body, StreamReader<T> reader) {
    if (body == null || body.length == 0) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "request body is empty");
    }
    try (JsonParser parser = MAPPER.createParser(body)) {
      T result = reader.read(parser);
      if (parser.nextToken() != null) {
        throw new JsonParseException(parser, "trailing content after the JSON document");
      }
      return result;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "unreadable body: " + e.getMessage());
    }
  }

  /** What {@link #stream} runs on the parser. */
  @FunctionalInterface
  public interface StreamReader<T> {
    T read(JsonParser parser) throws IOException;
  }

  private static ProblemException malformed(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    Problem problem = Problem.of(ProblemType.MALFORMED_JSON, e.getOriginalMessage());
    if (at != null) {
      problem = problem.with("line", at.getLineNr()).with("column", at.getColumnNr());
    }
    return new ProblemException(problem);
  }

  /** Parses a body as one JSON document; a syntax error becomes a 400 with line and column. */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "request body is empty");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "unreadable body: " + e.getMessage());
    }
  }
}
