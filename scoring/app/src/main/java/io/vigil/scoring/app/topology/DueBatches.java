package io.vigil.scoring.app.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * Batching of due windows for inference: first scores before revisions, so a backlog of late data
 * never delays another patient's first score; each kind in the order given (the due store's key
 * order: window end in event time, across patients and phases); cut into batches of at most the
 * configured size, one DL4J call each.
 */
final class DueBatches {
  private DueBatches() {}

  static <K> List<List<KeyValue<K, DueEntry>>> plan(
      Iterable<KeyValue<K, DueEntry>> due, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    List<KeyValue<K, DueEntry>> ordered = new ArrayList<>();
    List<KeyValue<K, DueEntry>> revised = new ArrayList<>();
    for (KeyValue<K, DueEntry> entry : due) {
      (entry.value.revision() ? revised : ordered).add(entry);
    }
    ordered.addAll(revised);
    List<List<KeyValue<K, DueEntry>>> batches = new ArrayList<>();
    for (int from = 0; from < ordered.size(); from += batchSize) {
      batches.add(ordered.subList(from, Math.min(ordered.size(), from + batchSize)));
    }
    return batches;
  }
}
