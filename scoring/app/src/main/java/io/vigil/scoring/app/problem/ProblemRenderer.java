package io.vigil.scoring.app.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.Map;

/** Turns a {@link Problem} into an RFC 7807 {@code application/problem+json} answer. */
public final class ProblemRenderer {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemRenderer() {}

  public static MutableHttpResponse<String> render(Problem problem) {
    MutableHttpResponse<String> response =
        HttpResponse.<String>status(HttpStatus.valueOf(problem.type().status()))
            .body(json(problem))
            .contentType(PROBLEM_JSON);
    if (problem.retryAfterSeconds() > 0) {
      response.header(HttpHeaders.RETRY_AFTER, Integer.toString(problem.retryAfterSeconds()));
    }
    if (problem.type().status() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vigil-scoring\"");
    }
    return response;
  }

  /**
   * The body: {@code type}, {@code title}, {@code status}, {@code detail} and extensions. It holds
   * nothing about the caller, so two callers given the same problem get the same bytes.
   */
  public static String json(Problem problem) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", problem.type().uri());
    node.put("title", problem.type().title());
    node.put("status", problem.type().status());
    node.put("detail", problem.detail());
    for (Map.Entry<String, Object> e : problem.extensions().entrySet()) {
      node.set(e.getKey(), JSON.valueToTree(e.getValue()));
    }
    return node.toString();
  }
}
