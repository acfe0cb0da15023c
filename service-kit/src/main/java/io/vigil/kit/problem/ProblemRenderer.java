package io.vigil.kit.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;

/**
 * Turns a {@link Problem} into the HTTP answer. {@link ProblemJson} is the one every service uses;
 * a service with routes that speak another error format (ingest's FHIR routes answer a FHIR
 * OperationOutcome) replaces it and falls back to it elsewhere.
 */
public interface ProblemRenderer {
  MutableHttpResponse<String> render(@Nullable HttpRequest<?> request, Problem problem);
}
