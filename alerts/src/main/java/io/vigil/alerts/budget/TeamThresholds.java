package io.vigil.alerts.budget;

import io.micronaut.context.annotation.Context;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.config.TeamsConfig;
import io.vigil.alerts.health.Supervisor;
import io.vigil.alerts.health.TopicReader;
import io.vigil.alerts.lifecycle.AlertsTopics;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.view.SystemAlarm;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LSTM threshold each care team uses and how it was chosen, for the nurse's header and the
 * {@code vigil_alerts_lstm_threshold} gauge. Teams with an alert budget: the latest record of
 * {@code alerts.team-thresholds} (read whole by every instance, under a {@link Supervisor}); teams
 * with a fixed threshold: the configuration; any other team uses the model's threshold carried on
 * each score.
 */
@Context
public final class TeamThresholds {
  /** Component name in health and metrics. */
  public static final String COMPONENT = "team-thresholds";

  private static final Logger LOG = LoggerFactory.getLogger(TeamThresholds.class);

  /** One team's threshold as the API shows it. */
  @Serdeable
  public record Team(
      String team,
      String source,
      Double threshold,
      Double budget,
      Double observedRate,
      Long onsets,
      Double patientDays,
      Double derivedThreshold,
      Double modelThreshold,
      Instant computedAt,
      Instant changedAt,
      String note) {}

  private final PolicyBook policies;
  private final Map<String, TeamThreshold> latest = new ConcurrentHashMap<>();
  private final TopicReader reader;
  private final Supervisor supervisor;

  public TeamThresholds(
      AlertsConfig config, TeamsConfig teams, AlertMetrics metrics, AlertView alerts) {
    this.policies = teams.policies();
    Deserializer<TeamThreshold> values = AlertsTopics.TEAM_THRESHOLDS.valueSerde().deserializer();
    this.reader =
        new TopicReader(
            config,
            "vigil-alerts-team-thresholds",
            List.of(
                new TopicReader.Source(
                    AlertsTopics.TEAM_THRESHOLDS.name(), TopicReader.From.BEGINNING)),
            Duration.ZERO,
            new TopicReader.Records() {
              @Override
              public void take(ConsumerRecord<byte[], byte[]> r, long now) {
                if (r.key() == null) {
                  return;
                }
                String team = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                  latest.remove(team);
                  return;
                }
                try {
                  latest.put(team, values.deserialize(r.topic(), r.value()));
                } catch (RuntimeException e) {
                  LOG.warn("skipping a team threshold that cannot be decoded: {}", e.toString());
                }
              }
            });
    metrics.lstmThresholds(this::gaugeValues);
    this.supervisor =
        reader
            .supervisor(
                COMPONENT,
                metrics,
                3,
                new SystemAlarm(
                    alerts,
                    "TEAM_THRESHOLDS_FAILING",
                    null,
                    (failures, lastError) ->
                        "the service cannot read the care teams' LSTM thresholds ("
                            + failures
                            + " failures, last "
                            + lastError
                            + "): the threshold shown may be old; alerts use the current one"))
            .start();
  }

  public Supervisor reader() {
    return supervisor;
  }

  /** The thresholds of {@code teams} ({@code tenant/team}), in the order given. */
  public List<Team> of(Collection<String> teams) {
    List<Team> out = new ArrayList<>();
    for (String team : teams) {
      out.add(team(team, policies.forTeam(team), latest.get(team)));
    }
    return out;
  }

  /**
   * The LSTM threshold {@code team} ({@code tenant/team}) judges against when it is its own:
   * derived from its alert budget, or fixed by configuration; null while the model's threshold,
   * carried on each risk score, applies.
   */
  public Double inUse(String team) {
    return team(team, policies.forTeam(team), latest.get(team)).threshold();
  }

  /** One team's entry: the budget's record, the fixed threshold, or the model's. */
  static Team team(String team, TeamPolicy policy, TeamThreshold record) {
    AlertBudget budget = policy.budget();
    if (budget != null && record != null) {
      return new Team(
          team,
          record.getSource().name(),
          record.getThreshold(),
          budget.onsetsPerPatientDay(),
          record.getObservedRate(),
          record.getOnsets(),
          record.getPatientDays(),
          record.getDerivedThreshold(),
          record.getModelThreshold(),
          record.getComputedAt(),
          record.getChangedAt(),
          record.getNote());
    }
    if (budget != null) {
      return summary(
          team,
          LstmThresholdSource.MODEL,
          null,
          budget.onsetsPerPatientDay(),
          0.0,
          "warm-up: no scored window of the team yet; the model's threshold is used");
    }
    if (!policy.lstmThresholdFromModel()) {
      return summary(
          team,
          LstmThresholdSource.FIXED,
          policy.lstmThreshold(),
          null,
          null,
          "fixed by configuration (lstm-threshold)");
    }
    return summary(
        team,
        LstmThresholdSource.MODEL,
        null,
        null,
        null,
        "the model's threshold, carried on each risk score");
  }

  /** An entry without a budget computation behind it. */
  private static Team summary(
      String team,
      LstmThresholdSource source,
      Double threshold,
      Double budget,
      Double patientDays,
      String note) {
    return new Team(
        team,
        source.name(),
        threshold,
        budget,
        null,
        null,
        patientDays,
        null,
        null,
        null,
        null,
        note);
  }

  /** Gauge values: every team with a budget record or a fixed threshold. */
  private Map<String, AlertMetrics.Threshold> gaugeValues() {
    Map<String, AlertMetrics.Threshold> out = new TreeMap<>();
    policies
        .teams()
        .forEach(
            (team, policy) -> {
              Team t = team(team, policy, latest.get(team));
              if (t.threshold() != null) {
                out.put(team, new AlertMetrics.Threshold(t.source(), t.threshold()));
              }
            });
    return out;
  }

  /** True once the view has read what was on the topic when the service started. */
  public boolean caughtUp() {
    return reader.caughtUp();
  }

  @PreDestroy
  void close() throws InterruptedException {
    reader.stopUnder(supervisor);
  }
}
