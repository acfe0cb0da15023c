package io.vigil.ingest.patients;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.vigil.ingest.observations.Rejection;
import io.vigil.ingest.observations.RejectionReason;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code POST /v1/patients}: the contexts of many patients of the source's tenant in one request,
 * each checked like {@code PUT /v1/patients/{patientId}} and answered on its own. The request
 * counts once against the source's rate limit; its size is bounded like a batch of readings.
 */
@Controller
@SecurityRequirement(name = "apiKey")
public final class PatientBulkController {
  private final PatientContextService contexts;
  private final IngestConfig config;
  private final IngestMetrics metrics;

  public PatientBulkController(
      PatientContextService contexts, IngestConfig config, IngestMetrics metrics) {
    this.contexts = contexts;
    this.config = config;
    this.metrics = metrics;
  }

  @Operation(
      summary = "Set the contexts of many patients at once",
      description =
          "{\"patients\": [{patientId, careTeams, age?, sex?, ...}, ...]} (or a bare array): each"
              + " item is a patient id plus the fields of PUT /v1/patients/{patientId}. Valid items"
              + " are written to Kafka; the answer comes after Kafka acknowledged all of them."
              + " Each item is answered in results, with every reason it was rejected. The tenant"
              + " is the API key's.",
      requestBody =
          @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = PatientBatch.class))))
  @ApiResponse(
      responseCode = "200",
      description = "Accepted and rejected counts, and each item's result",
      content = @Content(schema = @Schema(implementation = BulkResult.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON or wrong document shape")
  @ApiResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
  @ApiResponse(responseCode = "413", description = "Body too large, or more items than a batch")
  @ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
  @ApiResponse(
      responseCode = "422",
      description = "Every item was rejected (all-patients-rejected, with results)")
  @ApiResponse(
      responseCode = "429",
      description =
          "Rate limit of the source, or every patient was new beyond the tenant's bound of"
              + " patients; see Retry-After")
  @ApiResponse(responseCode = "503", description = "Kafka unavailable; resend after Retry-After")
  @Post(uri = "/v1/patients", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> submit(HttpRequest<?> request, @Body byte[] body) {
    Source source = AuthFilter.sourceOf(request);
    JsonBodies.requireContentType(request);
    JsonNode items = items(JsonBodies.parse(body));
    metrics.batch("patients", items.size());
    PatientContextService.Batch batch = contexts.batch(source);
    List<PatientContextService.Item> checked = new ArrayList<>(items.size());
    List<Map.Entry<PatientKey, PatientContext>> accepted = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      PatientContextService.Item result;
      if (item.isObject()) {
        ObjectNode fields = ((ObjectNode) item).deepCopy();
        JsonNode patientId = fields.remove("patientId");
        result = batch.check(i, patientId, fields, UnaryOperator.identity());
      } else {
        result = batch.check(i, null, item, UnaryOperator.identity());
      }
      checked.add(result);
      if (result.accepted()) {
        accepted.add(Map.entry(result.key(), result.context()));
      }
    }
    contexts.write(source, accepted);
    BulkResult result = BulkResult.of(checked);
    if (accepted.isEmpty() && !checked.isEmpty()) {
      boolean onlyLimit =
          Rejection.onlyPatientLimit(
              checked.stream().flatMap(c -> c.rejections().stream()).toList());
      Problem problem =
          onlyLimit
              ? contexts.patientLimit(source.tenant()).problem()
              : Problem.of(
                  ProblemType.ALL_PATIENTS_REJECTED,
                  "none of the " + checked.size() + " patient contexts was accepted");
      throw new ProblemException(
          problem
              .with("accepted", 0)
              .with("rejected", result.rejected())
              .with("results", result.results()));
    }
    return HttpResponse.ok(json(result)).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private JsonNode items(JsonNode doc) {
    JsonNode items = doc.isArray() ? doc : doc.get("patients");
    if (items == null || !items.isArray() || (doc.isObject() && doc.size() != 1)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "expected an object {\"patients\": [...]} (or an array of patients) and nothing else");
    }
    if (items.size() > config.maxBatchReadings()) {
      throw new ProblemException(
          Problem.of(
                  ProblemType.BATCH_TOO_LARGE,
                  items.size()
                      + " patients in one request; at most "
                      + config.maxBatchReadings()
                      + " are accepted: split the request")
              .with("limit", config.maxBatchReadings())
              .with("received", items.size()));
    }
    return items;
  }

  private static String json(Object value) {
    try {
      return JsonBodies.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the bulk result", e);
    }
  }

  /** Documentation-only shape of the request body. */
  @Schema(name = "PatientBatch")
  public record PatientBatch(
      @Schema(description = "Each a patientId plus the fields of PatientContext")
          List<PatientItemJson> patients) {}

  /** Documentation-only shape of one item. */
  @Schema(name = "PatientItem", description = "patientId plus every field of PatientContext")
  public record PatientItemJson(
      @Schema(description = "Patient id within the source's tenant") String patientId,
      @Schema(description = "Care team ids; alerts are routed to them") List<String> careTeams) {}

  /**
   * The answer: how many items were accepted and rejected, and each item's result in request order.
   */
  @Schema(name = "PatientBulkResult")
  public record BulkResult(int accepted, int rejected, List<ItemResult> results) {
    static BulkResult of(List<PatientContextService.Item> items) {
      List<ItemResult> results = new ArrayList<>(items.size());
      int accepted = 0;
      for (PatientContextService.Item item : items) {
        if (item.accepted()) {
          accepted++;
        }
        results.add(
            new ItemResult(
                item.index(),
                item.patientId(),
                item.accepted() ? "accepted" : "rejected",
                item.rejections().stream().map(ItemError::of).toList()));
      }
      return new BulkResult(accepted, items.size() - accepted, results);
    }
  }

  /** One item's result; {@code errors} lists every reason a rejected item has. */
  @Schema(name = "PatientItemResult")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ItemResult(int index, String patientId, String status, List<ItemError> errors) {}

  /** One reason an item was rejected: the field at fault, the reason code and a sentence. */
  @Schema(name = "PatientItemError")
  public record ItemError(String field, RejectionReason reason, String detail) {
    static ItemError of(Rejection r) {
      return new ItemError(r.field(), r.reason(), r.detail());
    }
  }
}
