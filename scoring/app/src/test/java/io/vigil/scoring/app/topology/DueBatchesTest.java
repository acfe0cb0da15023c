package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.schemas.Vital;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class DueBatchesTest {
  private static List<KeyValue<String, DueEntry>> due(String... kinds) {
    List<KeyValue<String, DueEntry>> due = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      DueEntry entry =
          kinds[i].equals("r") ? DueEntry.revised(i, Vital.HEART_RATE) : DueEntry.closed(i);
      due.add(KeyValue.pair(kinds[i] + i, entry));
    }
    return due;
  }

  private static List<List<String>> keys(List<List<KeyValue<String, DueEntry>>> batches) {
    return batches.stream().map(b -> b.stream().map(kv -> kv.key).toList()).toList();
  }

  @Test
  void shouldScoreFirstScoresBeforeRevisionsKeepingTheDueOrderOfEach() {
    assertEquals(
        List.of(List.of("f1", "f3", "r0", "r2")),
        keys(DueBatches.plan(due("r", "f", "r", "f"), 10)));
  }

  @Test
  void shouldCutBatchesAtExactlyTheBatchSize() {
    assertEquals(List.of(List.of("f0", "f1")), keys(DueBatches.plan(due("f", "f"), 2)));
    assertEquals(
        List.of(List.of("f0", "f1"), List.of("r2")), keys(DueBatches.plan(due("f", "f", "r"), 2)));
    assertEquals(List.of(), DueBatches.plan(due(), 2));
  }

  @Test
  void shouldRefuseABatchSizeBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> DueBatches.plan(due("f"), 0));
  }
}
