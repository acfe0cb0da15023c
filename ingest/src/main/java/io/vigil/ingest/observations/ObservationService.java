package io.vigil.ingest.observations;

import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.auth.Source;
import io.vigil.ingest.kafka.KafkaSender;
import io.vigil.ingest.metrics.IngestMetrics;
import io.vigil.ingest.patients.PatientRegistry;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a batch of raw readings (JSON or FHIR alike), writes the valid ones to {@code
 * vitals.observations} keyed by the source's tenant and the patient, and returns only after Kafka
 * acknowledged all of them.
 */
@Singleton
public final class ObservationService {
  private final IngestConfig config;
  private final KafkaSender sender;
  private final IngestMetrics metrics;
  private final PatientRegistry patients;
  private final Clock clock;

  public ObservationService(
      IngestConfig config, KafkaSender sender, IngestMetrics metrics, PatientRegistry patients) {
    this.config = config;
    this.sender = sender;
    this.metrics = metrics;
    this.patients = patients;
    this.clock = Clock.systemUTC();
  }

  /** A validator for one batch of {@code source}, with the configured time limits. */
  public ReadingValidator validator(Source source) {
    return new ReadingValidator(
        source.tenant(),
        source.sourceId(),
        Instant.now(clock),
        config.maxAge(),
        config.maxFuture());
  }

  /**
   * Validates {@code readings} (pre-rejected ones are passed through), writes the valid ones and
   * waits for Kafka.
   *
   * @throws io.vigil.ingest.problem.ProblemException 503 when Kafka did not acknowledge them all
   */
  public BatchResult ingest(Source source, List<BatchReader.Read> readings) {
    Checked checked = check(validator(source), readings);
    write(source, checked);
    return new BatchResult(checked.accepted().size(), checked.rejected());
  }

  /** Validates readings with {@code validator} (which remembers ids across calls). */
  public Checked check(ReadingValidator validator, List<BatchReader.Read> readings) {
    List<Map.Entry<PatientKey, VitalObservation>> accepted = new ArrayList<>(readings.size());
    List<Rejection> rejected = new ArrayList<>();
    for (BatchReader.Read read : readings) {
      Rejection rejection = read.rejection();
      if (rejection == null) {
        RawReading raw = read.reading();
        if (!validator.claimId(raw.id())) {
          rejection =
              new Rejection(
                  raw.index(),
                  raw.id(),
                  "id",
                  RejectionReason.DUPLICATE_ID,
                  "id '" + raw.id() + "' appears earlier in this batch");
        } else {
          ReadingValidator.Result result = validator.validate(raw);
          if (result.accepted()
              && patients.admit(result.key().getTenant(), result.key().getPatientId())) {
            accepted.add(Map.entry(result.key(), result.observation()));
            continue;
          }
          rejection =
              result.accepted()
                  ? new Rejection(
                      raw.index(),
                      raw.id(),
                      "patientId",
                      RejectionReason.PATIENT_LIMIT,
                      patientLimitDetail(result.key().getTenant()))
                  : result.rejection();
        }
      } else if (rejection.id() != null) {
        validator.claimId(rejection.id());
      }
      rejected.add(rejection);
    }
    return new Checked(accepted, rejected);
  }

  /**
   * Writes the accepted readings, waits for Kafka, and counts accepted and rejected readings.
   *
   * @throws io.vigil.ingest.problem.ProblemException 503 when Kafka did not acknowledge them all
   */
  public void write(Source source, Checked checked) {
    if (!checked.accepted().isEmpty()) {
      sender.sendAll(Topics.VITALS_OBSERVATIONS, checked.accepted());
    }
    count(source, checked.accepted(), checked.rejected());
  }

  /** The sentence of a patient-limit rejection or problem. */
  public String patientLimitDetail(String tenant) {
    return "tenant "
        + tenant
        + " has reached its bound of "
        + patients.bound()
        + " patients (VIGIL_INGEST_MAX_PATIENTS); this patient is new, readings of known"
        + " patients are still accepted";
  }

  /**
   * Throws 429 {@code patient-limit} when nothing was accepted and every rejection is the patient
   * bound: the request as a whole was refused for it.
   */
  public void refuseIfOnlyPatientLimit(Source source, int accepted, List<Rejection> rejected) {
    if (accepted == 0 && Rejection.onlyPatientLimit(rejected)) {
      throw new ProblemException(
          patients.limitProblem(patientLimitDetail(source.tenant())).with("rejected", rejected));
    }
  }

  /** Valid readings, keyed and converted, and the rejected ones. */
  public record Checked(
      List<Map.Entry<PatientKey, VitalObservation>> accepted, List<Rejection> rejected) {}

  private void count(
      Source source,
      List<Map.Entry<PatientKey, VitalObservation>> accepted,
      List<Rejection> rejected) {
    Map<String, Long> byVital = new HashMap<>();
    for (Map.Entry<PatientKey, VitalObservation> e : accepted) {
      byVital.merge(e.getValue().getVital().name(), 1L, Long::sum);
    }
    byVital.forEach((vital, n) -> metrics.accepted(source.sourceId(), vital, n));
    for (Rejection r : rejected) {
      metrics.rejected(source.sourceId(), r.reason().code());
    }
  }
}
