package io.vigil.alerts.audit;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.security.CareTeams;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.access.AuditTrail;
import io.vigil.schemas.audit.AuditEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@link AuditEvent} to {@code audit.reads} per read of patient data in the nurse API:
 * who (user name, actor kind {@code USER}, their tenant when they have one), the patient key read
 * (or, for a team's list and a live-stream subscription, the tenant with patient id {@value #SCOPE}
 * and the teams in {@code query}), what ({@code action}), when, the outcome and how many records
 * were returned. Never a vital value, score, note or credential. The answer waits for Kafka's
 * acknowledgement (at most {@code vigil.alerts.audit.timeout}): a read that cannot be audited is
 * not served ({@link #record} returns false and the caller answers 503).
 */
@Singleton
public final class ReadAudit {
  /** The list of open alerts of the user's teams. */
  public static final String LIST = "alerts.list.read";

  /** One alert's detail: evidence, history, deliveries. */
  public static final String DETAIL = "alerts.alert.read";

  /** One alert as FHIR Flag and RiskAssessment. */
  public static final String FHIR = "alerts.fhir.read";

  /** One alert's webhook deliveries. */
  public static final String DELIVERIES = "alerts.deliveries.read";

  /** A live stream (SSE) subscription to the user's teams' alerts. */
  public static final String STREAM = "alerts.stream.subscribe";

  /** The ward overview: every patient of the user's teams with latest vitals and scores. */
  public static final String WARD = "ward.list.read";

  /** One patient's page: latest vitals and scores, risk evidence, alerts and their history. */
  public static final String PATIENT = "ward.patient.read";

  /**
   * One part of a patient's history (the 72 h risk trend or the 72 h vitals), read by the instance
   * that holds it: asked by a nurse's page on another instance, or directly.
   */
  public static final String HISTORY = "ward.history.read";

  /** Patient id of a read whose scope is a team's patients, not one patient. */
  public static final String SCOPE = "*";

  /**
   * Patient id of a read of an alert id that does not exist: no patient was read (the id asked for
   * is in {@code query}).
   */
  public static final String UNKNOWN_PATIENT = "?";

  private static final Logger LOG = LoggerFactory.getLogger(ReadAudit.class);

  /** What the reader was answered. */
  public enum Outcome {
    SERVED,
    NOT_FOUND,
    FORBIDDEN
  }

  private final CareTeams careTeams;
  private final AuditTrail trail;

  public ReadAudit(AlertsConfig config, CareTeams careTeams) {
    this.careTeams = careTeams;
    Properties client = config.kafkaSecurity();
    client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    this.trail =
        new AuditTrail(client, config.applicationId() + "-audit", config.audit().timeout());
  }

  /**
   * Records a read of {@code tenant}/{@code patientId} and waits for the acknowledgement.
   *
   * @return false when Kafka did not acknowledge it in time: the read must not be served
   */
  public boolean record(
      Authentication auth,
      HttpRequest<?> request,
      String action,
      String tenant,
      String patientId,
      String query,
      Outcome outcome,
      int records) {
    Set<String> tenants = careTeams.tenantsOf(auth);
    AuditEvent event =
        AuditEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setTime(Instant.now())
            .setService("alerts")
            .setAction(action)
            .setActorKind("USER")
            .setActor(auth.getName())
            .setActorTenant(tenants.size() == 1 ? tenants.iterator().next() : null)
            .setTenant(tenant)
            .setPatientId(patientId)
            .setQuery(query == null || query.isBlank() ? null : truncate(query))
            .setOutcome(outcome.name())
            .setRecords(records)
            .setRemoteAddress(remote(request))
            .build();
    try {
      return trail.write(PatientKeys.of(tenant, patientId), event, "a read (" + action + ")");
    } catch (RuntimeException e) {
      LOG.error("cannot write the audit record of a read ({}): {}", action, e.toString());
      return false;
    }
  }

  private static String truncate(String query) {
    return query.length() <= 500 ? query : query.substring(0, 500);
  }

  private static String remote(HttpRequest<?> request) {
    InetSocketAddress address = request == null ? null : request.getRemoteAddress();
    if (address == null) {
      return null;
    }
    return address.getAddress() == null
        ? address.getHostString()
        : address.getAddress().getHostAddress();
  }

  @PreDestroy
  void close() {
    trail.close();
  }
}
