package io.vigil.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.micronaut.context.annotation.Context;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemKind;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The R4 context (expensive to build, so one per service) and the JSON parser and writer. Parsers
 * are strict: an unknown element or a wrong datatype is an error, not silently dropped data.
 */
@Context
public final class FhirJson {
  public static final String FHIR_JSON = "application/fhir+json";
  public static final String PROBLEM_SYSTEM = "urn:vigil:problem";

  /** The FHIR issue type of each problem type that is not simply {@code invalid}. */
  private static final Map<ProblemKind, IssueType> ISSUE_TYPES =
      Map.ofEntries(
          Map.entry(ProblemType.MALFORMED_JSON, IssueType.STRUCTURE),
          Map.entry(ProblemType.UNAUTHORIZED, IssueType.LOGIN),
          Map.entry(ProblemType.INSUFFICIENT_SCOPE, IssueType.FORBIDDEN),
          Map.entry(ProblemType.NOT_FOUND, IssueType.NOTFOUND),
          Map.entry(ProblemType.BODY_TOO_LARGE, IssueType.TOOCOSTLY),
          Map.entry(ProblemType.BATCH_TOO_LARGE, IssueType.TOOCOSTLY),
          Map.entry(ProblemType.RATE_LIMITED, IssueType.THROTTLED),
          Map.entry(ProblemType.PATIENT_LIMIT, IssueType.THROTTLED),
          Map.entry(ProblemType.KAFKA_UNAVAILABLE, IssueType.TRANSIENT),
          Map.entry(ProblemType.INTERNAL, IssueType.EXCEPTION),
          Map.entry(ProblemType.METHOD_NOT_ALLOWED, IssueType.NOTSUPPORTED),
          Map.entry(ProblemType.UNSUPPORTED_MEDIA_TYPE, IssueType.NOTSUPPORTED));

  private final FhirContext context = FhirContext.forR4Cached();

  /** Built at startup: HAPI scans the R4 model on first use, which would stall a request. */
  public FhirJson() {
    parser().parseResource(Observation.class, "{\"resourceType\":\"Observation\"}");
    write(new Bundle());
  }

  public FhirContext context() {
    return context;
  }

  /** A new strict parser (HAPI parsers are not thread-safe). */
  public IParser parser() {
    return context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
  }

  public String write(IBaseResource resource) {
    return context.newJsonParser().encodeResourceToString(resource);
  }

  /** A problem as an OperationOutcome whose issue carries the problem type as a coding. */
  public String outcome(Problem problem) {
    return write(toOutcome(problem));
  }

  public static OperationOutcome toOutcome(Problem problem) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(IssueSeverity.ERROR)
        .setCode(issueType(problem.type()))
        .setDiagnostics(problem.detail())
        .setDetails(
            new CodeableConcept(
                    new Coding(PROBLEM_SYSTEM, problem.type().slug(), problem.type().title()))
                .setText(problem.type().title()));
    return outcome;
  }

  private static IssueType issueType(ProblemKind kind) {
    return ISSUE_TYPES.getOrDefault(kind, IssueType.INVALID);
  }
}
