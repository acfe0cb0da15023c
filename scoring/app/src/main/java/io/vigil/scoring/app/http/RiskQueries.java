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
    ReadOnlyKeyValueStore<Bytes, byte[]> store =
        streams
            .get()
            .store(
                StoreQueryParameters.fromNameAndType(
                        ScoringTopology.SCORES_STORE,
                        QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                    .withPartition(partition));
    byte[] prefix = StateKeys.patient(patient);
    List<RiskScore> scores = new ArrayList<>();
    long last = to.toEpochMilli() - 1;
    if (last < from.toEpochMilli()) {
      return scores;
    }
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(
            StateKeys.patientTime(prefix, from.toEpochMilli()),
            StateKeys.patientTime(prefix, last))) {
      while (it.hasNext()) {
        scores.add(
            Topics.RISK_SCORES.valueSerde().deserializer().deserialize(null, it.next().value));
      }
    }
    return scores;
  }
}
