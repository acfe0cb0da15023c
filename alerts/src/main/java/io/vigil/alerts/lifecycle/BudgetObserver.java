package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Tells a care team's alert budget about each new window of its patients: for a patient of a team
 * with a budget, the first score of a window newer than the patient's last one, with an LSTM risk,
 * becomes a {@link BudgetObservation} keyed by the team (the risk and the previous one, so the
 * budget can count upcrossings). Revisions and windows no newer than the last are not new windows
 * and are left out; so are windows without an LSTM risk (they can raise no LSTM alert). Runs next
 * to the lifecycle, on the same partitions, reading the same care-team store.
 */
final class BudgetObserver implements Processor<PatientKey, Object, String, BudgetObservation> {
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final LifecycleConfig settings;
  private ProcessorContext<String, BudgetObservation> context;
  private KeyValueStore<String, PatientContext> contexts;
  private KeyValueStore<String, BudgetObservation> last;
  private KeyValueStore<String, String> byWindowEnd;

  BudgetObserver(LifecycleConfig settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, BudgetObservation> context) {
    this.context = context;
    contexts = context.getStateStore(AlertsTopology.CONTEXT_STORE);
    last = context.getStateStore(AlertsTopology.BUDGET_PATIENTS_STORE);
    byWindowEnd = context.getStateStore(AlertsTopology.BUDGET_ENDS_STORE);
    context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::forgetSilentPatients);
  }

  @Override
  public void process(Record<PatientKey, Object> record) {
    if (record.key() == null || !(record.value() instanceof RiskScore score)) {
      return;
    }
    Double risk = score.getLstmRisk();
    if (score.getRevision() > 0 || risk == null || risk.isNaN()) {
      return;
    }
    String patient = PatientKeys.format(record.key());
    BudgetObservation previous = last.get(patient);
    long windowEnd = score.getWindowEnd().toEpochMilli();
    if (previous != null && windowEnd <= previous.getWindowEnd().toEpochMilli()) {
      return;
    }
    String tenant = record.key().getTenant();
    String team = Routing.teamOf(contexts.get(patient), settings.fallbackTeam());
    TeamPolicy policy = settings.policies().forTeam(tenant, team);
    if (policy.budget() == null) {
      if (previous != null) {
        forget(patient, previous);
      }
      return;
    }
    BudgetObservation observation =
        BudgetObservation.newBuilder()
            .setWindowEnd(score.getWindowEnd())
            .setMonitoredMillis(monitored(previous, windowEnd, policy))
            .setRisk(risk)
            .setPreviousRisk(previous == null ? null : previous.getRisk())
            .setModelThreshold(score.getLstmThreshold())
            .build();
    if (previous != null) {
      byWindowEnd.delete(endKey(patient, previous));
    }
    last.put(patient, observation);
    byWindowEnd.put(endKey(patient, observation), patient);
    context.forward(new Record<>(TeamKeys.of(tenant, team), observation, windowEnd));
  }

  /**
   * Event time since the patient's previous first score, at most the team's readings-stopped-after:
   * a longer gap is time the patient was not monitored (the lifecycle raises readings-stopped for
   * it). A first window adds none: how long it stands for is not known.
   */
  static long monitored(BudgetObservation previous, long windowEnd, TeamPolicy policy) {
    if (previous == null) {
      return 0;
    }
    long gap = windowEnd - previous.getWindowEnd().toEpochMilli();
    return Math.min(gap, policy.readingsStoppedAfter().toMillis());
  }

  /**
   * A patient without a new window for the patient expiry (event time) starts afresh. Reads only
   * those patients, through the index of last window ends.
   */
  private void forgetSilentPatients(long streamTime) {
    long before = streamTime - settings.patientExpiry().toMillis();
    List<KeyValue<String, String>> silent = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        byWindowEnd.range(
            StoreKeys.time(0), StoreKeys.deadline(before - 1, "" + Character.MAX_VALUE))) {
      it.forEachRemaining(silent::add);
    }
    for (KeyValue<String, String> row : silent) {
      byWindowEnd.delete(row.key);
      last.delete(row.value);
    }
  }

  private void forget(String patient, BudgetObservation observation) {
    last.delete(patient);
    byWindowEnd.delete(endKey(patient, observation));
  }

  private static String endKey(String patient, BudgetObservation observation) {
    return StoreKeys.deadline(observation.getWindowEnd().toEpochMilli(), patient);
  }
}
