package io.vigil.alerts.config;

import io.micronaut.context.env.Environment;
import io.vigil.alerts.delivery.WebhookConfig.Endpoint;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.alerts.AlertPriority;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every care team's alert policy and webhook: the service's default policy under {@code
 * vigil.alerts.policy.*}, each team of a tenant under {@code
 * vigil.alerts.tenants.<tenant>.teams.<team>.*} and, for the default tenant, {@code
 * vigil.alerts.teams.<team>.*}. These are read key by key, not bound to a record: the keys carry
 * the tenants' and teams' own names, and a team inherits each value it does not set. A value that
 * is set but wrong stops the start with a message naming the key; it never falls back to the
 * inherited one.
 */
@Singleton
public final class TeamsConfig {
  private static final String P = "vigil.alerts.";

  private static final Logger LOG = LoggerFactory.getLogger(TeamsConfig.class);

  private final Environment env;
  private final PolicyBook policies;
  private final Map<String, Endpoint> webhooks = new HashMap<>();

  public TeamsConfig(Environment env, AlertsConfig config) {
    this.env = env;
    String defaultTenant = config.defaultTenant();
    TeamPolicy defaults = policy(P + "policy.", TeamPolicy.defaults());
    Map<String, TeamPolicy> teams = new HashMap<>();
    for (String tenant : env.getPropertyEntries(P + "tenants")) {
      for (String team : env.getPropertyEntries(P + "tenants." + tenant + ".teams")) {
        String prefix = P + "tenants." + tenant + ".teams." + team + ".";
        team(TeamKeys.of(tenant, team), prefix, defaults, teams);
      }
    }
    for (String team : env.getPropertyEntries(P + "teams")) {
      String key = TeamKeys.of(defaultTenant, team);
      LOG.warn(
          "{}teams.{}.* configures team {} of the default tenant; write it as"
              + " {}tenants.{}.teams.{}.* (see the alerts README, Tenants)",
          P,
          team,
          key,
          P,
          defaultTenant,
          team);
      if (teams.containsKey(key)) {
        throw new IllegalArgumentException(
            P
                + "teams."
                + team
                + " and "
                + P
                + "tenants."
                + defaultTenant
                + ".teams."
                + team
                + " configure the same team; keep one");
      }
      team(key, P + "teams." + team + ".", defaults, teams);
    }
    this.policies = new PolicyBook(defaults, teams);
  }

  /** Alert policy and escalation limits per care team. */
  public PolicyBook policies() {
    return policies;
  }

  /** The webhook of each care team ({@code tenant/team}) that has one. */
  public Map<String, Endpoint> webhooks() {
    return Map.copyOf(webhooks);
  }

  private void team(String key, String prefix, TeamPolicy defaults, Map<String, TeamPolicy> teams) {
    teams.put(key, policy(prefix + "policy.", defaults));
    env.getProperty(prefix + "webhook.url", String.class)
        .ifPresent(
            url ->
                webhooks.put(
                    key,
                    new Endpoint(
                        url,
                        env.getProperty(prefix + "webhook.secret", String.class)
                            .orElseThrow(
                                () ->
                                    new IllegalArgumentException(
                                        prefix + "webhook.secret is required with a url")))));
  }

  private TeamPolicy policy(String prefix, TeamPolicy base) {
    try {
      Map<AlertPriority, Duration> limits = new EnumMap<>(AlertPriority.class);
      for (AlertPriority p : AlertPriority.values()) {
        String name = "ack-limit." + p.name().toLowerCase(Locale.ROOT);
        limits.put(p, period(prefix, name).orElse(base.ackLimit(p)));
      }
      TeamPolicy.Builder policy = base.toBuilder().ackLimits(limits).budget(null);
      Optional<Double> threshold = number(prefix, "lstm-threshold");
      threshold.ifPresent(t -> policy.lstmThreshold(t).lstmThresholdFromModel(false));
      number(prefix, "lstm-margin").ifPresent(policy::lstmMargin);
      priority(prefix, "lstm-priority").ifPresent(policy::lstmPriority);
      whole(prefix, "news2-high").ifPresent(policy::news2High);
      whole(prefix, "news2-medium").ifPresent(policy::news2Medium);
      whole(prefix, "news2-margin").ifPresent(policy::news2Margin);
      whole(prefix, "clear-windows").ifPresent(policy::clearWindows);
      period(prefix, "readings-stopped-after").ifPresent(policy::readingsStoppedAfter);
      priority(prefix, "readings-stopped-priority").ifPresent(policy::readingsStoppedPriority);
      return withBudget(prefix, policy.build(), base, threshold.isPresent());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
    }
  }

  /**
   * The team's alert budget: its own {@code alert-budget} (with its own or the inherited window,
   * recompute period, step and warm-up), else the inherited budget unless the team fixed {@code
   * lstm-threshold}. Setting both at one level is refused: which one should judge is not clear.
   */
  private TeamPolicy withBudget(String prefix, TeamPolicy policy, TeamPolicy base, boolean fixed) {
    var ownBudget = number(prefix, "alert-budget");
    if (fixed && ownBudget.isPresent()) {
      throw new IllegalArgumentException(
          "alert-budget and lstm-threshold both set: choose one (a budget derives the threshold)");
    }
    AlertBudget inherited = base.budget();
    List<String> parts =
        List.of("budget-window", "budget-recompute", "budget-max-step", "budget-min-patient-days");
    if (ownBudget.isEmpty() && (inherited == null || fixed)) {
      for (String part : parts) {
        if (env.containsProperty(prefix + part)) {
          throw new IllegalArgumentException(part + " is set but no alert-budget applies");
        }
      }
      return policy;
    }
    AlertBudget from = inherited != null ? inherited : AlertBudget.of(1);
    AlertBudget budget =
        new AlertBudget(
            ownBudget.orElse(from.onsetsPerPatientDay()),
            period(prefix, "budget-window").orElse(from.window()),
            period(prefix, "budget-recompute").orElse(from.recompute()),
            number(prefix, "budget-max-step").orElse(from.maxStep()),
            number(prefix, "budget-min-patient-days").orElse(from.minPatientDays()));
    return policy.withBudget(budget);
  }

  /** A number setting; one that is set but is not a number is refused, never ignored. */
  private Optional<Double> number(String prefix, String name) {
    return setting(prefix, name, Double.class, "a number");
  }

  private Optional<Integer> whole(String prefix, String name) {
    return setting(prefix, name, Integer.class, "a whole number");
  }

  /** A duration setting ({@code 7d}, {@code 1h}); one that is set but is not one is refused. */
  private Optional<Duration> period(String prefix, String name) {
    return setting(prefix, name, Duration.class, "a duration such as 7d or 1h");
  }

  private Optional<AlertPriority> priority(String prefix, String name) {
    return env.getProperty(prefix + name, String.class)
        .map(s -> AlertPriority.valueOf(s.trim().toUpperCase(Locale.ROOT)));
  }

  private <T> Optional<T> setting(String prefix, String name, Class<T> type, String what) {
    Optional<T> value = env.getProperty(prefix + name, type);
    if (value.isEmpty() && env.containsProperty(prefix + name)) {
      throw new IllegalArgumentException(
          name
              + " must be "
              + what
              + ": "
              + env.getProperty(prefix + name, String.class).orElse(""));
    }
    return value;
  }
}
