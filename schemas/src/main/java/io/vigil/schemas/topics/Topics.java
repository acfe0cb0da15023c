package io.vigil.schemas.topics;

import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of Vigil's topics. Every module and every test takes names, serdes and settings
 * from here.
 *
 * <p>All patient topics are keyed by {@link PatientKey} and share one partition count, so that they
 * are co-partitioned for joins. Their timestamps are the broker's append time ({@code
 * message.timestamp.type=LogAppendTime}): retention is counted from when a record arrived, never
 * from its event time, so replays of past stays and wearables syncing days of readings after being
 * offline are not deleted by retention before they are processed. Consumers take event time from
 * the record's payload.
 */
public final class Topics {
  /** Partitions of every patient-keyed topic (they must be equal for co-partitioning). */
  public static final int PATIENT_PARTITIONS = 6;

  public static final AvroSerde<PatientKey> PATIENT_KEY = AvroSerde.of(PatientKey.class);

  public static final TopicSpec<PatientKey, VitalObservation> VITALS_OBSERVATIONS =
      new TopicSpec<>(
          "vitals.observations",
          PATIENT_KEY,
          AvroSerde.of(VitalObservation.class),
          PATIENT_PARTITIONS,
          appendTimeRetention(Duration.ofDays(7)));

  public static final TopicSpec<PatientKey, RejectedObservation> VITALS_REJECTED =
      new TopicSpec<>(
          "vitals.rejected",
          PATIENT_KEY,
          AvroSerde.of(RejectedObservation.class),
          PATIENT_PARTITIONS,
          appendTimeRetention(Duration.ofDays(30)));

  public static final TopicSpec<PatientKey, PatientContext> PATIENTS_CONTEXT =
      new TopicSpec<>(
          "patients.context",
          PATIENT_KEY,
          AvroSerde.of(PatientContext.class),
          PATIENT_PARTITIONS,
          Map.of("cleanup.policy", "compact", "message.timestamp.type", "LogAppendTime"));

  /** Kept 30 days after arrival: longer than the 14 days the scoring API serves by default. */
  public static final TopicSpec<PatientKey, RiskScore> RISK_SCORES =
      new TopicSpec<>(
          "risk.scores",
          PATIENT_KEY,
          AvroSerde.of(RiskScore.class),
          PATIENT_PARTITIONS,
          appendTimeRetention(Duration.ofDays(30)));

  /** The audit trail: never deleted by Kafka (archive or tier it, do not expire it). */
  public static final TopicSpec<PatientKey, AlertEvent> ALERTS_EVENTS =
      new TopicSpec<>(
          "alerts.events",
          PATIENT_KEY,
          AvroSerde.of(AlertEvent.class),
          PATIENT_PARTITIONS,
          Map.of(
              "cleanup.policy", "delete",
              "retention.ms", "-1",
              "message.timestamp.type", "LogAppendTime"));

  public static final TopicSpec<PatientKey, AlertAction> ALERTS_ACTIONS =
      new TopicSpec<>(
          "alerts.actions",
          PATIENT_KEY,
          AvroSerde.of(AlertAction.class),
          PATIENT_PARTITIONS,
          appendTimeRetention(Duration.ofDays(30)));

  /**
   * Records the alerts service could not decode or process (from {@code risk.scores}, {@code
   * patients.context}, {@code alerts.actions}, {@code alerts.events}), kept byte for byte with
   * their original key so they can be inspected and replayed. Headers name the reason and the
   * origin: {@value #DEAD_LETTER_REASON}, {@value #DEAD_LETTER_TOPIC}, {@value
   * #DEAD_LETTER_PARTITION}, {@value #DEAD_LETTER_OFFSET}, {@value #DEAD_LETTER_COMPONENT}.
   */
  public static final TopicSpec<byte[], byte[]> ALERTS_DEAD_LETTER =
      new TopicSpec<>(
          "alerts.dead-letter",
          Serdes.ByteArray(),
          Serdes.ByteArray(),
          PATIENT_PARTITIONS,
          appendTimeRetention(Duration.ofDays(30)));

  /**
   * Reads of patient data (risk API, and any other service that serves patient data), one {@link
   * AuditEvent} per read, keyed by the patient asked about. Never deleted by Kafka (archive or tier
   * it, do not expire it): an audit trail outlives the data it records reads of.
   */
  public static final TopicSpec<PatientKey, AuditEvent> AUDIT_READS =
      new TopicSpec<>(
          "audit.reads",
          PATIENT_KEY,
          AvroSerde.of(AuditEvent.class),
          PATIENT_PARTITIONS,
          Map.of(
              "cleanup.policy", "delete",
              "retention.ms", "-1",
              "message.timestamp.type", "LogAppendTime"));

  /**
   * Reports of running service instances ({@link ServiceStatus}), keyed by {@code
   * service/application/instance}: each scoring instance says every few seconds which partitions of
   * {@code vitals.observations} it processes, so the alerts service can tell nurses when patients
   * stop being scored. One partition (a handful of records per interval); compacted so the latest
   * report of each instance survives, and deleted after a day.
   */
  public static final TopicSpec<String, ServiceStatus> SERVICES_STATUS =
      new TopicSpec<>(
          "services.status",
          Serdes.String(),
          AvroSerde.of(ServiceStatus.class),
          1,
          Map.of(
              "cleanup.policy", "compact,delete",
              "retention.ms", Long.toString(Duration.ofDays(1).toMillis()),
              "message.timestamp.type", "LogAppendTime"));

  /** Dead-letter header: why the record was set aside (exception class and message). */
  public static final String DEAD_LETTER_REASON = "vigil.dead-letter.reason";

  /** Dead-letter header: the topic the record was read from. */
  public static final String DEAD_LETTER_TOPIC = "vigil.dead-letter.topic";

  /** Dead-letter header: the partition it was read from (decimal). */
  public static final String DEAD_LETTER_PARTITION = "vigil.dead-letter.partition";

  /** Dead-letter header: its offset there (decimal). */
  public static final String DEAD_LETTER_OFFSET = "vigil.dead-letter.offset";

  /** Dead-letter header: the service component that could not handle it. */
  public static final String DEAD_LETTER_COMPONENT = "vigil.dead-letter.component";

  private Topics() {}

  public static List<TopicSpec<?, ?>> all() {
    return List.of(
        VITALS_OBSERVATIONS,
        VITALS_REJECTED,
        PATIENTS_CONTEXT,
        RISK_SCORES,
        ALERTS_EVENTS,
        ALERTS_ACTIONS,
        ALERTS_DEAD_LETTER,
        AUDIT_READS,
        SERVICES_STATUS);
  }

  private static Map<String, String> appendTimeRetention(Duration retention) {
    return Map.of(
        "cleanup.policy", "delete",
        "retention.ms", Long.toString(retention.toMillis()),
        "message.timestamp.type", "LogAppendTime");
  }
}
