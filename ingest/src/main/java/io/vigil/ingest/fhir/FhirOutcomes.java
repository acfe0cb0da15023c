package io.vigil.ingest.fhir;

import io.vigil.ingest.observations.Rejection;
import io.vigil.ingest.observations.RejectionReason;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Rejected readings and patient contexts as OperationOutcome issues, one per reason, with the
 * reason and the element at fault.
 */
public final class FhirOutcomes {
  public static final String REASON_SYSTEM = "urn:vigil:rejection-reason";

  private FhirOutcomes() {}

  public static OperationOutcome of(List<Rejection> rejections) {
    OperationOutcome outcome = new OperationOutcome();
    for (Rejection r : rejections) {
      var issue =
          outcome
              .addIssue()
              .setSeverity(IssueSeverity.ERROR)
              .setCode(issueType(r.reason()))
              .setDiagnostics(r.detail())
              .setDetails(
                  new CodeableConcept(new Coding(REASON_SYSTEM, r.reason().code(), null))
                      .setText(r.reason().code()));
      if (r.field() != null) {
        issue.addExpression(
            r.field().startsWith("Observation") || r.field().startsWith("Patient")
                ? r.field()
                : "Observation." + r.field());
      }
    }
    return outcome;
  }

  private static IssueType issueType(RejectionReason reason) {
    return switch (reason) {
      case MISSING_FIELD -> IssueType.REQUIRED;
      case UNKNOWN_CODE -> IssueType.CODEINVALID;
      case DUPLICATE_ID -> IssueType.DUPLICATE;
      case OUT_OF_RANGE, NON_FINITE_VALUE, UNIT_NOT_CONVERTIBLE -> IssueType.VALUE;
      default -> IssueType.INVALID;
    };
  }
}
