package io.vigil.ingest.problem;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.vigil.ingest.fhir.FhirJson;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemJson;
import io.vigil.kit.problem.ProblemRenderer;
import jakarta.inject.Singleton;

/**
 * Ingest's answer to a problem: on the FHIR routes a FHIR {@code OperationOutcome} carrying the
 * same problem type (with the same headers), elsewhere problem+json.
 */
@Singleton
@Primary
public final class FhirProblems implements ProblemRenderer {
  private final FhirJson fhir;
  private final ProblemJson json;

  public FhirProblems(FhirJson fhir, ProblemJson json) {
    this.fhir = fhir;
    this.json = json;
  }

  @Override
  public MutableHttpResponse<String> render(@Nullable HttpRequest<?> request, Problem problem) {
    if (request == null || !request.getPath().startsWith("/fhir/")) {
      return json.render(request, problem);
    }
    return json.headers(
        HttpResponse.<String>status(HttpStatus.valueOf(problem.status()))
            .body(fhir.outcome(problem))
            .contentType(FhirJson.FHIR_JSON),
        problem);
  }
}
