package io.vigil.alerts.lifecycle;

import io.vigil.alerts.budget.BudgetCore;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.alerts.BudgetState;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A care team's alert budget, partitioned by team: folds the team's observations into its
 * event-time buckets ({@link BudgetCore}) and, every recompute period of event time, chooses the
 * team's threshold and writes it to {@code alerts.team-thresholds}.
 */
final class BudgetAggregator
    implements Processor<String, BudgetObservation, String, TeamThreshold> {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetAggregator.class);

  private final LifecycleConfig settings;
  private ProcessorContext<String, TeamThreshold> context;
  private KeyValueStore<String, BudgetState> teams;

  BudgetAggregator(LifecycleConfig settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, TeamThreshold> context) {
    this.context = context;
    teams = context.getStateStore(AlertsTopology.BUDGET_TEAMS_STORE);
  }

  @Override
  public void process(Record<String, BudgetObservation> record) {
    String teamKey = record.key();
    if (teamKey == null || record.value() == null) {
      return;
    }
    AlertBudget budget = settings.policies().forTeam(teamKey).budget();
    if (budget == null) {
      return; // the team's budget was removed from the configuration since this was written
    }
    BudgetState state = teams.get(teamKey);
    if (state == null) {
      state = BudgetCore.empty();
    }
    if (!BudgetCore.add(state, record.value(), budget)) {
      return;
    }
    if (BudgetCore.due(state, budget)) {
      int slash = teamKey.indexOf('/');
      Double before = state.getThreshold();
      TeamThreshold threshold =
          BudgetCore.recompute(
              state, budget, teamKey.substring(0, slash), teamKey.substring(slash + 1));
      if (threshold.getSource() == LstmThresholdSource.BUDGET
          && !threshold.getThreshold().equals(before)) {
        LOG.info(
            "LSTM threshold of {}: {} ({})",
            teamKey,
            threshold.getThreshold(),
            threshold.getNote());
      }
      context.forward(new Record<>(teamKey, threshold, threshold.getComputedAt().toEpochMilli()));
    }
    teams.put(teamKey, state);
  }
}
