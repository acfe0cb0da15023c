package io.vigil.kit.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * RFC 7807 {@code application/problem+json}: {@code type}, {@code title}, {@code status}, {@code
 * detail}, {@code instance} (the request's path) and the problem's extension members; {@code
 * Retry-After} when the problem has a wait, and {@code WWW-Authenticate: Bearer} on 401 with the
 * service's name as realm. The body holds nothing about the caller beyond the path it asked for.
 */
@Singleton
public class ProblemJson implements ProblemRenderer {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String realm;

  public ProblemJson(@Value("${micronaut.application.name:vigil}") String realm) {
    this.realm = realm;
  }

  @Override
  public MutableHttpResponse<String> render(@Nullable HttpRequest<?> request, Problem problem) {
    return headers(
        HttpResponse.<String>status(HttpStatus.valueOf(problem.status()))
            .body(body(problem, request))
            .contentType(MEDIA_TYPE),
        problem);
  }

  /** The {@code Retry-After} and {@code WWW-Authenticate} headers {@code problem} calls for. */
  public <T> MutableHttpResponse<T> headers(MutableHttpResponse<T> response, Problem problem) {
    if (problem.retryAfter() != null) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
    }
    if (problem.status() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"");
    }
    return response;
  }

  /** The problem+json body. */
  public static String body(Problem problem, @Nullable HttpRequest<?> request) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", problem.type().uri());
    node.put("title", problem.type().title());
    node.put("status", problem.status());
    node.put("detail", problem.detail());
    if (request != null) {
      node.put("instance", request.getPath());
    }
    for (Map.Entry<String, Object> e : problem.extensions().entrySet()) {
      node.set(e.getKey(), JSON.valueToTree(e.getValue()));
    }
    return node.toString();
  }
}
