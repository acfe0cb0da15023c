package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.TeamThreshold;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global store of team thresholds equal to the compacted topic (a tombstone deletes). */
final class TeamThresholdsUpdater implements Processor<String, TeamThreshold, Void, Void> {
  private KeyValueStore<String, TeamThreshold> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(AlertsTopology.TEAM_THRESHOLDS_STORE);
  }

  @Override
  public void process(Record<String, TeamThreshold> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
