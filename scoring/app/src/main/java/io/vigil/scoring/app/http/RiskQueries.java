package io.vigil.scoring.app.http;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.scoring.app.topology.ScoringTopology;
import io.vigil.scoring.app.topology.StateKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads a patient's scores from the scores store (interactive queries). A patient's scores live on
 * the instance that owns the patient's partition; {@link #owner} says which one that is.
 */
public final class RiskQueries {
  private final Supplier<KafkaStreams> streams;

  public RiskQueries(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  /** The instance hosting the patient's scores, empty while partitions are being assigned. */
  public Optional<KeyQueryMetadata> owner(PatientKey patient) {
    if (streams.get() == null) {
      return Optional.empty();
    }
    KeyQueryMetadata metadata =
        streams
            .get()
            .queryMetadataForKey(
                ScoringTopology.SCORES_STORE, patient, Topics.PATIENT_KEY.serializer());
    if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
      return Optional.empty();
    }
    return Optional.of(metadata);
  }

  public static boolean isHost(KeyQueryMetadata metadata, HostInfo self) {
    return metadata.activeHost().equals(self);
  }

  /** Scores of windows ending in {@code [from, to)}, oldest first, from this instance's store. */
  public List<RiskScore> local(PatientKey patient, int partition, Instant from, Instant to) {
    return local(patient, partition, from, to, false).stream().map(Scored::latest).toList();
  }

  /**
   * A window's score: its latest revision and, when asked for, the revisions it superseded, oldest
   * first (empty otherwise).
   */
  public record Scored(RiskScore latest, List<RiskScore> earlier) {}

  /**
   * Scores of windows ending in {@code [from, to)}, oldest first, from this instance's stores, each
   * with its earlier revisions when {@code withRevisions}.
   */
  public List<Scored> local(
      PatientKey patient, int partition, Instant from, Instant to, boolean withRevisions) {
    ReadOnlyKeyValueStore<Bytes, byte[]> store = store(ScoringTopology.SCORES_STORE, partition);
    ReadOnlyKeyValueStore<Bytes, byte[]> revisions =
        withRevisions ? store(ScoringTopology.REVISIONS_STORE, partition) : null;
    byte[] prefix = StateKeys.patient(patient);
    List<Scored> scores = new ArrayList<>();
    long last = to.toEpochMilli() - 1;
    if (last < from.toEpochMilli()) {
      return scores;
    }
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(
            StateKeys.patientTime(prefix, from.toEpochMilli()),
            StateKeys.patientTime(prefix, last))) {
      while (it.hasNext()) {
        RiskScore latest = decode(it.next().value);
        List<RiskScore> earlier = new ArrayList<>();
        if (revisions != null && latest.getRevision() > 0) {
          long end = latest.getWindowEnd().toEpochMilli();
          try (KeyValueIterator<Bytes, byte[]> old =
              revisions.range(
                  StateKeys.patientTimeHash(prefix, end, 0),
                  StateKeys.patientTimeHash(prefix, end, Long.MAX_VALUE))) {
            while (old.hasNext()) {
              earlier.add(decode(old.next().value));
            }
          }
        }
        scores.add(new Scored(latest, earlier));
      }
    }
    return scores;
  }

  /**
   * True when this instance holds anything about the patient: readings (their clock), a patient
   * context, or a score.
   */
  public boolean exists(PatientKey patient, int partition) {
    Bytes key = Bytes.wrap(StateKeys.patient(patient));
    if (store(ScoringTopology.CLOCKS_STORE, partition).get(key) != null
        || store(ScoringTopology.CONTEXT_STORE, partition).get(key) != null) {
      return true;
    }
    byte[] prefix = StateKeys.patient(patient);
    try (KeyValueIterator<Bytes, byte[]> it =
        store(ScoringTopology.SCORES_STORE, partition)
            .range(
                StateKeys.patientTime(prefix, Long.MIN_VALUE),
                StateKeys.patientTime(prefix, Long.MAX_VALUE))) {
      return it.hasNext();
    }
  }

  /** The patient's care teams from their latest context (bare names); empty without context. */
  public List<String> careTeams(PatientKey patient, int partition) {
    byte[] bytes =
        store(ScoringTopology.CONTEXT_STORE, partition).get(Bytes.wrap(StateKeys.patient(patient)));
    if (bytes == null) {
      return List.of();
    }
    return Topics.PATIENTS_CONTEXT
        .valueSerde()
        .deserializer()
        .deserialize(null, bytes)
        .getCareTeams()
        .stream()
        .map(CharSequence::toString)
        .toList();
  }

  private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition) {
    return streams
        .get()
        .store(
            StoreQueryParameters.fromNameAndType(
                    name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                .withPartition(partition));
  }

  private static RiskScore decode(byte[] bytes) {
    return Topics.RISK_SCORES.valueSerde().deserializer().deserialize(null, bytes);
  }
}
