package io.vigil.ingest.patients;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.auth.AuthFilter;
import io.vigil.ingest.auth.Source;
import io.vigil.ingest.http.JsonBodies;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.Identifiers;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /v1/patients/{patientId}}: the care team's context of a patient of the source's
 * tenant, written to the compacted {@code patients.context} (the latest write wins).
 */
@Controller
@SecurityRequirement(name = "apiKey")
public final class PatientController {
  private final PatientContextService contexts;
  private final IngestConfig config;
  private final PatientRegistry patients;

  public PatientController(
      PatientContextService contexts, IngestConfig config, PatientRegistry patients) {
    this.contexts = contexts;
    this.config = config;
    this.patients = patients;
  }

  @Operation(
      summary = "Set a patient's context (care teams, age, sex, oxygen, SpO2 scale, ACVPU)",
      requestBody =
          @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = PatientContextJson.class))))
  @ApiResponse(responseCode = "200", description = "Stored (Kafka acknowledged it)")
  @ApiResponse(responseCode = "400", description = "The patient id breaks the identifier rules")
  @ApiResponse(responseCode = "422", description = "Invalid fields, each with its reason")
  @ApiResponse(
      responseCode = "429",
      description = "A new patient beyond the tenant's bound of patients; see Retry-After")
  @Put(
      uri = "/v1/patients/{patientId}",
      consumes = MediaType.ALL,
      produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> put(
      HttpRequest<?> request, @PathVariable String patientId, @Body byte[] body) {
    Source source = AuthFilter.sourceOf(request);
    JsonBodies.requireContentType(request);
    String idProblem = Identifiers.patientIdProblem(patientId);
    if (idProblem != null) {
      throw new ProblemException(
          Problem.of(ProblemType.INVALID_ID, idProblem).with("field", "patientId"));
    }
    Instant now = Instant.now();
    PatientContext context =
        PatientContextReader.read(JsonBodies.parse(body), now, config.maxFuture());
    PatientKey key = PatientKeys.of(source.tenant(), patientId);
    if (!patients.admit(source.tenant(), patientId)) {
      throw contexts.patientLimit(source.tenant());
    }
    contexts.write(source, List.of(Map.entry(key, context)));
    return HttpResponse.ok(
            "{\"patientId\":"
                + JsonBodies.mapper().valueToTree(patientId)
                + ",\"updatedAt\":\""
                + now
                + "\"}")
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** Documentation-only shape of the body. */
  @Schema(name = "PatientContext")
  public record PatientContextJson(
      @Schema(description = "Care team ids; alerts are routed to them") List<String> careTeams,
      @Schema(description = "Age in years", nullable = true) Integer age,
      @Schema(description = "female, male, other, unknown", nullable = true) String sex,
      @Schema(description = "On supplemental oxygen (NEWS2)") boolean oxygenTherapy,
      @Schema(description = "NEWS2 SpO2 scale 2 prescribed (target 88-92 %)") boolean spo2Scale2,
      @Schema(description = "ACVPU: alert, confusion, voice, pain, unresponsive", nullable = true)
          String consciousness,
      @Schema(description = "When ACVPU was assessed, ISO-8601", nullable = true)
          String consciousnessTime,
      @Schema(description = "When remote monitoring started, ISO-8601", nullable = true)
          String monitoringStart) {}
}
