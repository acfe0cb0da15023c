package io.vigil.scoring.app.audit;

import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.ServiceSettings;
import io.vigil.scoring.app.access.Caller;
import io.vigil.scoring.app.problem.Problem;
import io.vigil.scoring.app.problem.ProblemException;
import io.vigil.scoring.app.problem.ProblemType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(ReadAudit.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

  private final ServiceSettings settings;
  private volatile Producer<PatientKey, AuditEvent> producer;

  public ReadAudit(ServiceSettings settings) {
    this.settings = settings;
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
    try {
      producer()
          .send(new ProducerRecord<>(Topics.AUDIT_READS.name(), patient, event.build()))
          .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("cannot write the audit record of a risk read: {}", e.toString());
      throw unavailable(e.toString());
    }
  }

  private static ProblemException unavailable(String why) {
    return new ProblemException(
        Problem.of(
                ProblemType.UNAVAILABLE,
                "the read could not be recorded in the audit trail; retry shortly")
            .retryAfter(2));
  }

  private Producer<PatientKey, AuditEvent> producer() {
    Producer<PatientKey, AuditEvent> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Properties props = settings.clientProperties();
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT.toMillis());
          props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
          props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
          props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-audit");
          producer =
              new KafkaProducer<>(
                  props,
                  Topics.AUDIT_READS.keySerde().serializer(),
                  Topics.AUDIT_READS.valueSerde().serializer());
        }
        p = producer;
      }
    }
    return p;
  }

  @PreDestroy
  public void close() {
    Producer<PatientKey, AuditEvent> p = producer;
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
  }
}
