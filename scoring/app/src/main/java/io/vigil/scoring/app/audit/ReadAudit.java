package io.vigil.scoring.app.audit;

import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.access.AuditTrail;
import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.scoring.app.KafkaConfig;
import io.vigil.scoring.app.ServiceConfig;
import io.vigil.scoring.app.access.Caller;
import io.vigil.scoring.app.problem.ProblemType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes one {@link AuditEvent} to {@code audit.reads} per answered read of the risk API: who (key
 * id and source, or user name), their tenant, the patient asked about, the query, the outcome and
 * how many scores were returned; never a score, vital value or credential. The answer waits for
 * Kafka's acknowledgement: a read that cannot be audited is answered 503 instead of served.
 */
@Singleton
public final class ReadAudit {
  /** The action name of a risk API read. */
  public static final String RISK_READ = "risk.scores.read";

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

  private final AuditTrail trail;

  public ReadAudit(ServiceConfig config, KafkaConfig kafka) {
    this.trail =
        new AuditTrail(kafka.clientProperties(), config.applicationId() + "-audit", ACK_TIMEOUT);
  }

  /** The outcome recorded for a read. */
  public enum Outcome {
    SERVED,
    NOT_FOUND,
    FORBIDDEN
  }

  /**
   * Records a read and waits for the acknowledgement.
   *
   * @throws ProblemException 503 when Kafka did not acknowledge the record in time
   */
  public void record(
      Caller caller,
      PatientKey patient,
      String query,
      Outcome outcome,
      int records,
      String remoteAddress) {
    AuditEvent.Builder event =
        AuditEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setTime(Instant.now())
            .setService("scoring")
            .setAction(RISK_READ)
            .setActor(caller.id())
            .setTenant(patient.getTenant())
            .setPatientId(patient.getPatientId())
            .setQuery(query == null || query.isBlank() ? null : query)
            .setOutcome(outcome.name())
            .setRecords(records)
            .setRemoteAddress(remoteAddress);
    if (caller instanceof Caller.ApiKey key) {
      event
          .setActorKind("API_KEY")
          .setActorSource(key.principal().sourceId())
          .setActorTenant(key.principal().tenant());
    } else {
      event
          .setActorKind("USER")
          .setActorTenant(caller.tenants().size() == 1 ? caller.tenants().iterator().next() : null);
    }
    if (!trail.write(patient, event.build(), "a risk read")) {
      throw unavailable();
    }
  }

  private static ProblemException unavailable() {
    return new ProblemException(
        Problem.of(
                ProblemType.UNAVAILABLE,
                "the read could not be recorded in the audit trail; retry shortly")
            .retryAfter(java.time.Duration.ofSeconds(2)));
  }

  @PreDestroy
  public void close() {
    trail.close();
  }
}
