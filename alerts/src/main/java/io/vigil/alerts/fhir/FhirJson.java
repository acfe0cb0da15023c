package io.vigil.alerts.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.context.annotation.Context;
import java.time.Instant;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * Writes FHIR R4 resources as JSON ({@value #MEDIA_TYPE}) with HAPI FHIR's R4 context, which is
 * expensive to build and so shared by the whole service.
 */
@Context
public final class FhirJson {
  public static final String MEDIA_TYPE = "application/fhir+json";

  private final FhirContext context = FhirContext.forR4Cached();

  /**
   * Built at startup: HAPI scans the R4 model and readies its date-time and decimal handling on
   * first use, which would stall the first request by a second or more.
   */
  public FhirJson() {
    Bundle sample = new Bundle();
    Flag flag = new Flag();
    flag.setPeriod(new Period().setStartElement(new DateTimeType(Instant.now().toString())));
    sample.addEntry().setResource(flag);
    RiskAssessment risk = new RiskAssessment();
    risk.addPrediction().setProbability(new DecimalType(0.5));
    sample.addEntry().setResource(risk);
    write(sample);
  }

  /** The resource as JSON; a new parser each time, as HAPI's parsers are not thread-safe. */
  public String write(IBaseResource resource) {
    return context.newJsonParser().encodeResourceToString(resource);
  }
}
