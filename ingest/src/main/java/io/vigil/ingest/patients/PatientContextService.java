package io.vigil.ingest.patients;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.auth.Source;
import io.vigil.ingest.kafka.KafkaSender;
import io.vigil.ingest.metrics.IngestMetrics;
import io.vigil.ingest.observations.Rejection;
import io.vigil.ingest.observations.RejectionReason;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.Identifiers;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.topics.Topics;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Patient contexts of one source, alone or in bulk (JSON or FHIR alike): the id and field rules of
 * {@link PatientContextReader}, the tenant's bound of patients, and the write to {@code
 * patients.context} that returns only once Kafka acknowledged every record.
 */
@Singleton
public final class PatientContextService {
  private final IngestConfig config;
  private final KafkaSender sender;
  private final IngestMetrics metrics;
  private final PatientRegistry patients;

  public PatientContextService(
      IngestConfig config, KafkaSender sender, IngestMetrics metrics, PatientRegistry patients) {
    this.config = config;
    this.sender = sender;
    this.metrics = metrics;
    this.patients = patients;
  }

  /** Checks the items of one request; ids are remembered, so a repeated patient is rejected. */
  public Batch batch(Source source) {
    return new Batch(source, Instant.now());
  }

  /**
   * Writes the accepted contexts and waits for Kafka.
   *
   * @throws ProblemException 503 when Kafka did not acknowledge them all
   */
  public void write(Source source, List<Map.Entry<PatientKey, PatientContext>> accepted) {
    if (accepted.isEmpty()) {
      return;
    }
    sender.sendAll(Topics.PATIENTS_CONTEXT, accepted);
    metrics.patientContexts(source.sourceId(), accepted.size());
  }

  /** The 429 of a request refused because every patient in it is new and the tenant is full. */
  public ProblemException patientLimit(String tenant) {
    return new ProblemException(patients.limitProblem(patientLimitDetail(tenant)));
  }

  /** The sentence of a patient-limit rejection or problem. */
  public String patientLimitDetail(String tenant) {
    return "tenant "
        + tenant
        + " has reached its bound of "
        + patients.bound()
        + " patients (VIGIL_INGEST_MAX_PATIENTS); this patient is new";
  }

  /**
   * One checked item: its key and context when accepted, else every reason it was rejected.
   *
   * @param index position in the request
   * @param patientId the patient id as sent (null when missing or not a string)
   * @param key the patient key; null when rejected
   * @param context the context; null when rejected
   * @param rejections why it was rejected; empty when accepted
   */
  public record Item(
      int index,
      String patientId,
      PatientKey key,
      PatientContext context,
      List<Rejection> rejections) {
    public boolean accepted() {
      return rejections.isEmpty();
    }
  }

  /** The checks of one request's items, in order. */
  public final class Batch {
    private final Source source;
    private final Instant now;
    private final Map<String, Integer> seen = new HashMap<>();

    private Batch(Source source, Instant now) {
      this.source = source;
      this.now = now;
    }

    /** When the request was received: the contexts' {@code updatedAt}. */
    public Instant now() {
      return now;
    }

    /**
     * Checks one item: the patient id (identifier rules, not repeated in this request), every field
     * of {@code doc} with the single path's rules, then the tenant's bound. Field names in the
     * rejections are {@code fieldName} of the document's names ({@code patientId} for the id).
     */
    public Item check(
        int index, JsonNode patientId, JsonNode doc, UnaryOperator<String> fieldName) {
      List<Rejection> rejections = new ArrayList<>();
      String id = patientId != null && patientId.isTextual() ? patientId.textValue() : null;
      if (patientId == null || patientId.isNull()) {
        rejections.add(
            new Rejection(
                index,
                null,
                fieldName.apply("patientId"),
                RejectionReason.MISSING_FIELD,
                "patientId is missing"));
      } else if (id == null) {
        rejections.add(
            new Rejection(
                index,
                null,
                fieldName.apply("patientId"),
                RejectionReason.INVALID_FIELD,
                "patientId must be a string"));
      } else {
        String problem = Identifiers.patientIdProblem(id);
        if (problem != null) {
          id = null; // never echo an id that breaks the rules
          rejections.add(
              new Rejection(
                  index, null, fieldName.apply("patientId"), RejectionReason.INVALID_ID, problem));
        } else if (seen.putIfAbsent(id, index) != null) {
          rejections.add(
              new Rejection(
                  index,
                  id,
                  fieldName.apply("patientId"),
                  RejectionReason.DUPLICATE_ID,
                  "patient '"
                      + id
                      + "' appears earlier in this request (index "
                      + seen.get(id)
                      + "); send one context per patient"));
        }
      }
      PatientContextReader.Checked checked = null;
      if (doc == null || !doc.isObject()) {
        rejections.add(
            new Rejection(
                index, id, null, RejectionReason.INVALID_FIELD, "patient must be a JSON object"));
      } else {
        checked = PatientContextReader.check(doc, now, config.maxFuture());
        for (Map.Entry<String, String> error : checked.errors().entrySet()) {
          RejectionReason reason =
              doc.hasNonNull(error.getKey())
                  ? RejectionReason.INVALID_FIELD
                  : RejectionReason.MISSING_FIELD;
          rejections.add(
              new Rejection(index, id, fieldName.apply(error.getKey()), reason, error.getValue()));
        }
      }
      if (rejections.isEmpty() && !patients.admit(source.tenant(), id)) {
        rejections.add(
            new Rejection(
                index,
                id,
                fieldName.apply("patientId"),
                RejectionReason.PATIENT_LIMIT,
                patientLimitDetail(source.tenant())));
      }
      if (!rejections.isEmpty()) {
        return new Item(index, id, null, null, List.copyOf(rejections));
      }
      return new Item(index, id, PatientKeys.of(source.tenant(), id), checked.context(), List.of());
    }
  }
}
