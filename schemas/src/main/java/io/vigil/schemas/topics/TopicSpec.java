package io.vigil.schemas.topics;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the catalogue: its name, the serdes of its keys and values, how many partitions it has
 * and its topic-level configuration (cleanup policy, retention, timestamp type).
 */
public record TopicSpec<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    Map<String, String> config) {

  public TopicSpec {
    config = Map.copyOf(config);
  }

  public String cleanupPolicy() {
    return config.getOrDefault("cleanup.policy", "delete");
  }

  /** Retention in milliseconds, -1 for unlimited; ignored by compacted topics. */
  public long retentionMs() {
    return Long.parseLong(config.getOrDefault("retention.ms", "-1"));
  }

  @Override
  public String toString() {
    return name;
  }
}
