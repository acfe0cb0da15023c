package io.vigil.ingest;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** Starts the ingest HTTP service. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Vigil ingest",
            version = "0.1",
            description =
                "Intake of wearable vital signs (JSON batches and FHIR R4 Observations) and patient"
                    + " context into Kafka. Every error is RFC 7807 application/problem+json"
                    + " (FHIR routes: OperationOutcome)."))
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    // Settings are bound at start, so a wrong value stops the service before it serves.
    Micronaut.build(args)
        .mainClass(Application.class)
        .banner(false)
        .eagerInitConfiguration(true)
        .start();
  }
}
