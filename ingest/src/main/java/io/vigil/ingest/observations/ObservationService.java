package io.vigil.ingest.observations;

import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.auth.Source;
import io.vigil.ingest.kafka.KafkaSender;
import io.vigil.ingest.metrics.IngestMetrics;
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
  private final Clock clock;

  public ObservationService(IngestConfig config, KafkaSender sender, IngestMetrics metrics) {
    this.config = config;
    this.sender = sender;
    this.metrics = metrics;
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
          if (result.accepted()) {
            accepted.add(Map.entry(result.key(), result.observation()));
            continue;
          }
          rejection = result.rejection();
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
