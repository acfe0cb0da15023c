package io.vigil.ingest.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import io.vigil.ingest.observations.BatchReader.Read;
import io.vigil.ingest.observations.ObservationService;
import io.vigil.ingest.observations.ReadingValidator;
import io.vigil.ingest.observations.Rejection;
import io.vigil.ingest.observations.RejectionReason;
import io.vigil.ingest.patients.PatientContextService;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.vitals.VitalObservation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

/**
 * FHIR R4 intake: {@code POST /fhir/r4/Observation} (one vital-signs Observation) and {@code POST
 * /fhir/r4} (a Bundle of type batch or transaction of Observations and Patients, the latter read by
 * {@link FhirPatientMapper}). Errors are OperationOutcomes.
 *
 * <p>A batch accepts every valid entry and answers each entry in a batch-response Bundle; a
 * transaction is all or nothing: one invalid entry and nothing is written.
 */
@Controller("/fhir/r4")
@SecurityRequirement(name = "apiKey")
public final class FhirController {
  private static final String[] FHIR_TYPES = {FhirJson.FHIR_JSON};

  private final FhirJson fhir;
  private final ObservationService service;
  private final PatientContextService contexts;
  private final IngestConfig config;
  private final IngestMetrics metrics;

  public FhirController(
      FhirJson fhir,
      ObservationService service,
      PatientContextService contexts,
      IngestConfig config,
      IngestMetrics metrics) {
    this.fhir = fhir;
    this.service = service;
    this.contexts = contexts;
    this.config = config;
    this.metrics = metrics;
  }

  @Operation(
      summary = "Create one vital-signs Observation (FHIR R4)",
      requestBody =
          @RequestBody(
              description =
                  "A FHIR R4 Observation (vital-signs profile): LOINC code, UCUM valueQuantity or"
                      + " BP panel 85354-9 components, subject Patient/<id>, effectiveDateTime or"
                      + " effectiveInstant, id or identifier",
              content =
                  @Content(
                      mediaType = FhirJson.FHIR_JSON,
                      schema = @Schema(type = "object", name = "Observation"))))
  @ApiResponse(responseCode = "201", description = "Written; the Observation is echoed")
  @ApiResponse(responseCode = "422", description = "OperationOutcome: why it was rejected")
  @Post(uri = "/Observation", consumes = MediaType.ALL, produces = FhirJson.FHIR_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> create(HttpRequest<?> request, @Body byte[] body) {
    Source source = AuthFilter.sourceOf(request);
    JsonBodies.requireContentType(request, FHIR_TYPES);
    Observation observation = parse(body, Observation.class);
    List<Read> reads = FhirObservationMapper.map(0, observation);
    metrics.batch("fhir", reads.size());
    ObservationService.Checked checked = service.check(service.validator(source), reads);
    if (!checked.rejected().isEmpty()) {
      // An Observation is one clinical statement: a panel with a bad component is rejected whole.
      service.write(source, new ObservationService.Checked(List.of(), checked.rejected()));
      service.refuseIfOnlyPatientLimit(source, 0, checked.rejected());
      return fhirResponse(HttpStatus.UNPROCESSABLE_ENTITY, FhirOutcomes.of(checked.rejected()));
    }
    service.write(source, checked);
    return fhirResponse(HttpStatus.CREATED, observation);
  }

  @Operation(
      summary = "Submit a Bundle (batch or transaction) of vital-signs Observations and Patients",
      description =
          "Observations become readings; Patients set patient contexts (id, gender, birthDate, and"
              + " the extensions urn:vigil:fhir:care-team, oxygen-therapy, spo2-scale2,"
              + " consciousness, consciousness-time, monitoring-start) with the rules of PUT"
              + " /v1/patients/{patientId}. Each entry is answered on its own.",
      requestBody =
          @RequestBody(
              description =
                  "A FHIR R4 Bundle of type batch or transaction holding Observations and"
                      + " Patients",
              content =
                  @Content(
                      mediaType = FhirJson.FHIR_JSON,
                      schema = @Schema(type = "object", name = "Bundle"))))
  @ApiResponse(responseCode = "200", description = "batch-response or transaction-response Bundle")
  @ApiResponse(
      responseCode = "400",
      description = "transaction with an invalid entry: nothing written")
  @Post(consumes = MediaType.ALL, produces = FhirJson.FHIR_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> bundle(HttpRequest<?> request, @Body byte[] body) {
    Source source = AuthFilter.sourceOf(request);
    JsonBodies.requireContentType(request, FHIR_TYPES);
    Bundle bundle = parse(body, Bundle.class);
    BundleType type = bundle.getType();
    if (type != BundleType.BATCH && type != BundleType.TRANSACTION) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "Bundle.type must be batch or transaction, not "
              + (type == null ? "missing" : type.toCode()));
    }
    List<BundleEntryComponent> entries = bundle.getEntry();
    ReadingValidator validator = service.validator(source);
    PatientContextService.Batch patients = contexts.batch(source);
    List<List<Rejection>> perEntry = new ArrayList<>();
    List<Map.Entry<PatientKey, VitalObservation>> accepted = new ArrayList<>();
    List<Map.Entry<PatientKey, PatientContext>> acceptedContexts = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    List<Rejection> rejectedContexts = new ArrayList<>();
    int readings = 0;
    for (int i = 0; i < entries.size(); i++) {
      IBaseResource resource = entries.get(i).getResource();
      List<Read> reads;
      if (resource instanceof Patient patient) {
        PatientContextService.Item item = FhirPatientMapper.check(patients, i, patient);
        readings++;
        checkBundleSize(readings);
        perEntry.add(item.rejections());
        rejectedContexts.addAll(item.rejections());
        if (item.accepted()) {
          acceptedContexts.add(Map.entry(item.key(), item.context()));
        }
        continue;
      }
      if (resource instanceof Observation observation) {
        reads = FhirObservationMapper.map(i, observation);
      } else {
        reads =
            List.of(
                new Read(
                    null,
                    new Rejection(
                        i,
                        null,
                        "Bundle.entry.resource",
                        RejectionReason.INVALID_FIELD,
                        "only Observation and Patient resources are accepted, not "
                            + (resource == null ? "an empty entry" : resource.fhirType()))));
      }
      readings += reads.size();
      checkBundleSize(readings);
      ObservationService.Checked checked = service.check(validator, reads);
      perEntry.add(checked.rejected());
      if (checked.rejected().isEmpty()) {
        accepted.addAll(checked.accepted());
      } else {
        rejected.addAll(checked.rejected());
      }
    }
    metrics.batch("fhir", readings);
    if (type == BundleType.TRANSACTION && !(rejected.isEmpty() && rejectedContexts.isEmpty())) {
      service.write(source, new ObservationService.Checked(List.of(), rejected));
      List<Rejection> all = new ArrayList<>(rejectedContexts);
      all.addAll(rejected);
      all.sort(Comparator.comparingInt(Rejection::index));
      OperationOutcome outcome = FhirOutcomes.of(all);
      outcome
          .getIssueFirstRep()
          .setDiagnostics(
              "transaction rejected, nothing written: "
                  + outcome.getIssueFirstRep().getDiagnostics());
      return fhirResponse(HttpStatus.BAD_REQUEST, outcome);
    }
    // Contexts first: a care team named in this Bundle is known before its patients' readings.
    contexts.write(source, acceptedContexts);
    service.write(source, new ObservationService.Checked(accepted, rejected));
    List<Rejection> all = new ArrayList<>(rejectedContexts);
    all.addAll(rejected);
    service.refuseIfOnlyPatientLimit(source, accepted.size() + acceptedContexts.size(), all);
    Bundle response = new Bundle();
    response.setType(
        type == BundleType.BATCH ? BundleType.BATCHRESPONSE : BundleType.TRANSACTIONRESPONSE);
    for (List<Rejection> entryRejections : perEntry) {
      BundleEntryComponent entry = response.addEntry();
      if (entryRejections.isEmpty()) {
        entry.getResponse().setStatus("201 Created");
      } else {
        entry.getResponse().setStatus("422 Unprocessable Entity");
        entry.getResponse().setOutcome(FhirOutcomes.of(entryRejections));
      }
    }
    return fhirResponse(HttpStatus.OK, response);
  }

  private void checkBundleSize(int items) {
    if (items > config.maxBatchReadings()) {
      throw new ProblemException(
          Problem.of(
                  ProblemType.BATCH_TOO_LARGE,
                  "more than "
                      + config.maxBatchReadings()
                      + " readings and patients in one Bundle: split it")
              .with("limit", config.maxBatchReadings()));
    }
  }

  private <T extends IBaseResource> T parse(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "request body is empty");
    }
    JsonBodies.parse(body); // syntax errors answered with line and column
    try {
      return fhir.parser().parseResource(type, new String(body, StandardCharsets.UTF_8));
    } catch (DataFormatException e) {
      throw new ProblemException(
          Problem.of(
              ProblemType.INVALID_FHIR_RESOURCE,
              "not a valid FHIR R4 " + type.getSimpleName() + ": " + e.getMessage()));
    }
  }

  private HttpResponse<String> fhirResponse(HttpStatus status, IBaseResource resource) {
    return HttpResponse.<String>status(status)
        .body(fhir.write(resource))
        .contentType(FhirJson.FHIR_JSON);
  }
}
