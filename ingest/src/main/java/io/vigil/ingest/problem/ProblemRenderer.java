package io.vigil.ingest.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.vigil.ingest.fhir.FhirJson;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Turns a {@link Problem} into an HTTP answer: RFC 7807 {@code application/problem+json}, or, on
 * the FHIR routes, a FHIR {@code OperationOutcome} carrying the same problem type.
 */
@Singleton
public final class ProblemRenderer {
  public static final String PROBLEM_JSON = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FhirJson fhir;

  public ProblemRenderer(FhirJson fhir) {
    this.fhir = fhir;
  }

  public MutableHttpResponse<String> render(HttpRequest<?> request, Problem problem) {
    boolean fhirRoute = request != null && request.getPath().startsWith("/fhir/");
    MutableHttpResponse<String> response =
        HttpResponse.<String>status(HttpStatus.valueOf(problem.status()))
            .body(fhirRoute ? fhir.outcome(problem) : problemJson(problem, request))
            .contentType(fhirRoute ? FhirJson.FHIR_JSON : PROBLEM_JSON);
    if (problem.retryAfter() != null) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
    }
    if (problem.status() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vigil-ingest\"");
    }
    return response;
  }

  static String problemJson(Problem problem, HttpRequest<?> request) {
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
