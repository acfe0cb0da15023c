package io.vigil.ingest.observations;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
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
import io.vigil.ingest.metrics.IngestMetrics;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import java.util.List;

/** {@code POST /v1/observations}: a batch of vital-sign readings. */
@Controller
@SecurityRequirement(name = "apiKey")
public final class ObservationController {
  private final ObservationService service;
  private final IngestConfig config;
  private final IngestMetrics metrics;

  public ObservationController(
      ObservationService service, IngestConfig config, IngestMetrics metrics) {
    this.service = service;
    this.config = config;
    this.metrics = metrics;
  }

  @Operation(
      summary = "Submit a batch of vital-sign readings",
      description =
          "Each reading is {id, patientId, deviceId?, code, value, unit, time}. Valid readings are"
              + " written to Kafka; the answer comes after Kafka acknowledged all of them. Invalid"
              + " readings are listed with their index and reason. 422 when every reading was"
              + " rejected.",
      requestBody =
          @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = ObservationBatch.class))))
  @ApiResponse(
      responseCode = "200",
      description = "Batch processed: accepted count and rejected readings",
      content = @Content(schema = @Schema(implementation = BatchResult.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON (with line and column)")
  @ApiResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
  @ApiResponse(responseCode = "413", description = "Body or batch too large")
  @ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
  @ApiResponse(responseCode = "422", description = "Every reading was rejected")
  @ApiResponse(
      responseCode = "429",
      description =
          "Rate limit of the source, or every reading was for a new patient beyond the tenant's"
              + " bound of patients; see Retry-After")
  @ApiResponse(responseCode = "503", description = "Kafka unavailable; resend after Retry-After")
  @Post(uri = "/v1/observations", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> submit(HttpRequest<?> request, @Body byte[] body) {
    Source source = AuthFilter.sourceOf(request);
    JsonBodies.requireContentType(request);
    List<BatchReader.Read> read = BatchReader.readAll(body, config.maxBatchReadings());
    metrics.batch("observations", read.size());
    BatchResult result = service.ingest(source, read);
    service.refuseIfOnlyPatientLimit(source, result.accepted(), result.rejected());
    if (result.accepted() == 0 && !result.rejected().isEmpty()) {
      throw new ProblemException(
          Problem.of(
                  ProblemType.ALL_READINGS_REJECTED,
                  "none of the " + result.rejected().size() + " readings was accepted")
              .with("accepted", 0)
              .with("rejected", result.rejected()));
    }
    return HttpResponse.ok(Results.json(result)).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** Documentation-only shape of the request body. */
  @Schema(name = "ObservationBatch")
  public record ObservationBatch(List<ReadingJson> readings) {}

  /** Documentation-only shape of one reading. */
  @Schema(name = "Reading")
  public record ReadingJson(
      @Schema(description = "Reading id, unique per source (used to remove resent duplicates)")
          String id,
      @Schema(description = "Patient id within the source's tenant") String patientId,
      @Schema(description = "Device that measured it", nullable = true) String deviceId,
      @Schema(description = "Vigil vital name (heart_rate, ...) or LOINC code", example = "8867-4")
          String code,
      @Schema(description = "Measured value in unit") double value,
      @Schema(description = "UCUM unit, converted to the canonical unit", example = "/min")
          String unit,
      @Schema(
              description = "Measurement time, ISO-8601 with offset",
              example = "2026-11-25T08:00:00Z")
          String time) {}
}
