package io.vigil.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one problem+json every service answers with, for its own errors and the framework's. */
class ProblemJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final class Type {
    static final ProblemKind BAD = ProblemKind.of("bad-thing", 400, "Bad thing");
    static final ProblemKind NO_KEY = ProblemKind.of("unauthorized", 401, "Missing credential");
    static final ProblemKind GONE = ProblemKind.of("not-found", 404, "Not found");
    static final ProblemKind BUSY = ProblemKind.of("unavailable", 503, "Try later");
    static final ProblemKind BROKEN = ProblemKind.of("internal", 500, "Internal error");
  }

  private final ProblemJson json = new ProblemJson("vigil-test");

  @Test
  void shouldWriteTheTypeTitleStatusDetailPathAndExtensions() throws Exception {
    MutableHttpResponse<String> r =
        json.render(
            HttpRequest.GET("/api/things/7"),
            Problem.of(Type.BAD, "field x is wrong").with("field", "x").with("limits", List.of(1)));
    assertEquals(400, r.getStatus().getCode());
    assertEquals(ProblemJson.MEDIA_TYPE, r.getContentType().orElseThrow().toString());
    JsonNode body = MAPPER.readTree(r.body());
    assertEquals("urn:vigil:problem:bad-thing", body.get("type").asText());
    assertEquals("Bad thing", body.get("title").asText());
    assertEquals(400, body.get("status").asInt());
    assertEquals("field x is wrong", body.get("detail").asText());
    assertEquals("/api/things/7", body.get("instance").asText());
    assertEquals("x", body.get("field").asText());
    assertEquals(1, body.get("limits").get(0).asInt());
    assertNull(r.getHeaders().get(HttpHeaders.RETRY_AFTER));
    assertNull(r.getHeaders().get(HttpHeaders.WWW_AUTHENTICATE));
  }

  @Test
  void shouldTellAClientHowLongToWaitInWholeSecondsRoundedUp() {
    assertEquals(
        "3",
        json.render(null, Problem.of(Type.BUSY, "busy").retryAfter(Duration.ofMillis(2001)))
            .getHeaders()
            .get(HttpHeaders.RETRY_AFTER));
    assertEquals(
        "1",
        json.render(null, Problem.of(Type.BUSY, "busy").retryAfter(Duration.ZERO))
            .getHeaders()
            .get(HttpHeaders.RETRY_AFTER));
  }

  @Test
  void shouldNameTheServiceAsRealmOnA401() {
    assertEquals(
        "Bearer realm=\"vigil-test\"",
        json.render(null, Problem.of(Type.NO_KEY, "no key"))
            .getHeaders()
            .get(HttpHeaders.WWW_AUTHENTICATE));
  }

  private final ProblemCatalog catalog =
      status ->
          switch (status) {
            case 401 -> Type.NO_KEY;
            case 404 -> Type.GONE;
            default -> Type.BROKEN;
          };

  private JsonNode framework(int status, String message) throws Exception {
    HttpRequest<?> request = HttpRequest.GET("/nowhere");
    MutableHttpResponse<String> r =
        new FrameworkErrors(json, catalog)
            .processResponse(
                ErrorContext.builder(request).errorMessage(message).build(),
                HttpResponse.status(HttpStatus.valueOf(status)).header("X-Kept", "yes"));
    assertEquals(status, r.getStatus().getCode());
    assertEquals("yes", r.getHeaders().get("X-Kept"), "the framework's own headers are kept");
    return MAPPER.readTree(r.body());
  }

  @Test
  void shouldAnswerTheFrameworksErrorsWithTheServicesTypes() throws Exception {
    JsonNode missing = framework(404, "Page Not Found");
    assertEquals("urn:vigil:problem:not-found", missing.get("type").asText());
    assertEquals("Page Not Found", missing.get("detail").asText());
    assertEquals("/nowhere", missing.get("instance").asText());
    assertEquals("Missing credential", framework(401, "").get("detail").asText(), "title");
  }

  @Test
  void shouldNeverEchoTheTextOfAnUnexpectedFailure() throws Exception {
    JsonNode broken = framework(500, "NullPointerException at com.example.Secret");
    assertEquals("urn:vigil:problem:internal", broken.get("type").asText());
    assertEquals(FrameworkErrors.UNEXPECTED, broken.get("detail").asText());
    assertFalse(broken.toString().contains("Secret"));
  }
}
