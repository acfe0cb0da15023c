package io.vigil.alerts.config;

import io.micronaut.context.env.Environment;
import io.vigil.alerts.delivery.WebhookSettings;
import io.vigil.alerts.delivery.WebhookSettings.Endpoint;
import io.vigil.alerts.lifecycle.LifecycleSettings;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.alerts.tenancy.TeamKeys;
import io.vigil.schemas.alerts.AlertPriority;
import jakarta.inject.Singleton;
import java.nio.file.Path;
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
 * Every setting of the service under {@code vigil.alerts}, read once at start and checked, so a
 * wrong value stops the start with a message that names the key.
 */
@Singleton
public final class AlertsConfig {
  private static final String P = "vigil.alerts.";

  private static final Logger LOG = LoggerFactory.getLogger(AlertsConfig.class);

  private final Environment env;
  private final String defaultTenant;
  private final Path home;
  private final PolicyBook policies;
  private final LifecycleSettings lifecycle;
  private final WebhookSettings webhooks;

  public AlertsConfig(Environment env) {
    this.env = env;
    this.home = Path.of(env.getProperty("vigil.home", String.class).orElse(".vigil"));
    this.defaultTenant = string("default-tenant", "demo");
    TeamKeys.of(defaultTenant, "check"); // a tenant with '/' or blank stops the start here
    TeamPolicy defaults = policy(P + "policy.", TeamPolicy.defaults());
    Map<String, TeamPolicy> teams = new HashMap<>();
    Map<String, Endpoint> endpoints = new HashMap<>();
    for (String tenant : env.getPropertyEntries(P + "tenants")) {
      for (String team : env.getPropertyEntries(P + "tenants." + tenant + ".teams")) {
        String prefix = P + "tenants." + tenant + ".teams." + team + ".";
        team(TeamKeys.of(tenant, team), prefix, defaults, teams, endpoints);
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
      team(key, P + "teams." + team + ".", defaults, teams, endpoints);
    }
    this.policies = new PolicyBook(defaults, teams);
    this.lifecycle =
        LifecycleSettings.defaults(policies)
            .withFallbackTeam(string("fallback-team", "unassigned"))
            .withTimers(
                duration("timers.tick", Duration.ofSeconds(1)),
                duration("timers.stopped-check", Duration.ofSeconds(30)),
                duration("timers.startup-grace", Duration.ofMinutes(2)))
            .withActionMemory(duration("timers.action-memory", Duration.ofDays(7)))
            .withPatientExpiry(patientExpiry());
    this.webhooks =
        new WebhookSettings(
            endpoints,
            integer("webhook.max-attempts", 5),
            duration("webhook.initial-backoff", Duration.ofMillis(500)),
            duration("webhook.max-backoff", Duration.ofSeconds(30)),
            duration("webhook.timeout", Duration.ofSeconds(5)));
  }

  private void team(
      String key,
      String prefix,
      TeamPolicy defaults,
      Map<String, TeamPolicy> teams,
      Map<String, Endpoint> endpoints) {
    teams.put(key, policy(prefix + "policy.", defaults));
    env.getProperty(prefix + "webhook.url", String.class)
        .ifPresent(
            url ->
                endpoints.put(
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
    Map<AlertPriority, Duration> limits = new EnumMap<>(AlertPriority.class);
    for (AlertPriority p : AlertPriority.values()) {
      String key = prefix + "ack-limit." + p.name().toLowerCase(Locale.ROOT);
      limits.put(p, env.getProperty(key, Duration.class).orElse(base.ackLimit(p)));
    }
    try {
      TeamPolicy policy =
          new TeamPolicy(
              env.getProperty(prefix + "lstm-threshold", Double.class).orElse(base.lstmThreshold()),
              env.getProperty(prefix + "lstm-margin", Double.class).orElse(base.lstmMargin()),
              env.getProperty(prefix + "lstm-priority", String.class)
                  .map(s -> AlertPriority.valueOf(s.toUpperCase(Locale.ROOT)))
                  .orElse(base.lstmPriority()),
              env.getProperty(prefix + "news2-high", Integer.class).orElse(base.news2High()),
              env.getProperty(prefix + "news2-medium", Integer.class).orElse(base.news2Medium()),
              env.getProperty(prefix + "news2-margin", Integer.class).orElse(base.news2Margin()),
              env.getProperty(prefix + "clear-windows", Integer.class).orElse(base.clearWindows()),
              env.getProperty(prefix + "readings-stopped-after", Duration.class)
                  .orElse(base.readingsStoppedAfter()),
              limits,
              env.getProperty(prefix + "lstm-threshold", Double.class).isPresent()
                  ? false
                  : base.lstmThresholdFromModel(),
              env.getProperty(prefix + "readings-stopped-priority", String.class)
                  .map(s -> AlertPriority.valueOf(s.toUpperCase(Locale.ROOT)))
                  .orElse(base.readingsStoppedPriority()),
              null);
      return withBudget(prefix, policy, base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
    }
  }

  /**
   * The team's alert budget: its own {@code alert-budget} (with its own or the inherited window,
   * recompute period, step and warm-up), else the inherited budget unless the team fixed {@code
   * lstm-threshold}. Setting both at one level is refused: which one should judge is not clear.
   */
  private TeamPolicy withBudget(String prefix, TeamPolicy policy, TeamPolicy base) {
    boolean fixed = env.getProperty(prefix + "lstm-threshold", Double.class).isPresent();
    var ownBudget = number(prefix + "alert-budget");
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
      return fixed || inherited == null ? policy.withBudget(null) : policy;
    }
    AlertBudget from = inherited != null ? inherited : AlertBudget.of(1);
    AlertBudget budget =
        new AlertBudget(
            ownBudget.orElse(from.onsetsPerPatientDay()),
            period(prefix + "budget-window").orElse(from.window()),
            period(prefix + "budget-recompute").orElse(from.recompute()),
            number(prefix + "budget-max-step").orElse(from.maxStep()),
            number(prefix + "budget-min-patient-days").orElse(from.minPatientDays()));
    return policy.withBudget(budget);
  }

  /** A number setting; one that is set but is not a number is refused, never ignored. */
  private Optional<Double> number(String key) {
    Optional<Double> value = env.getProperty(key, Double.class);
    if (value.isEmpty() && env.containsProperty(key)) {
      throw new IllegalArgumentException(
          key.substring(key.lastIndexOf('.') + 1) + " must be a number: " + raw(key));
    }
    return value;
  }

  /** A duration setting ({@code 7d}, {@code 1h}); one that is set but is not one is refused. */
  private Optional<Duration> period(String key) {
    Optional<Duration> value = env.getProperty(key, Duration.class);
    if (value.isEmpty() && env.containsProperty(key)) {
      throw new IllegalArgumentException(
          key.substring(key.lastIndexOf('.') + 1)
              + " must be a duration such as 7d or 1h: "
              + raw(key));
    }
    return value;
  }

  private String raw(String key) {
    return env.getProperty(key, String.class).orElse("");
  }

  private String string(String key, String fallback) {
    return env.getProperty(P + key, String.class).orElse(fallback);
  }

  private int integer(String key, int fallback) {
    return env.getProperty(P + key, Integer.class).orElse(fallback);
  }

  private Duration duration(String key, Duration fallback) {
    return env.getProperty(P + key, Duration.class).orElse(fallback);
  }

  /**
   * The demo switch ({@code vigil.demo}: env {@code VIGIL_DEMO=true} or {@code --vigil.demo=true},
   * which {@code ./vigil up} passes): only with it is the demo nurse created.
   */
  public boolean demo() {
    return env.getProperty("vigil.demo", Boolean.class).orElse(false);
  }

  /**
   * Kafka Streams application id of the scoring instances whose reports on {@code services.status}
   * the service watches ({@code vigil.alerts.scoring-watch.application}, default vigil-scoring,
   * scoring's own default).
   */
  public String scoringApplication() {
    return string("scoring-watch.application", "vigil-scoring");
  }

  /**
   * How long some readings may be scored by no scoring instance before nurses are told ({@code
   * vigil.alerts.scoring-watch.grace}, default 90 s: longer than a rebalance after an instance
   * dies, which takes Kafka's session timeout, 45 s by default).
   */
  public Duration scoringGrace() {
    return positive("scoring-watch.grace", Duration.ofSeconds(90));
  }

  /** How far back the service reads scoring's reports when it starts. */
  public Duration scoringLookback() {
    return positive("scoring-watch.lookback", Duration.ofMinutes(10));
  }

  /** Longest wait for Kafka to acknowledge a read's audit record before the read is refused. */
  public Duration auditTimeout() {
    return positive("audit.timeout", Duration.ofSeconds(5));
  }

  /** Live streams (SSE) one user may hold open at once; one more is answered 429. */
  public int maxStreamsPerUser() {
    int max = integer("live.max-streams-per-user", 5);
    if (max < 1) {
      throw new IllegalArgumentException(P + "live.max-streams-per-user must be at least 1");
    }
    return max;
  }

  /**
   * Distinct patients and alerts one live stream may have waiting to be sent (each at most once, in
   * its newest state) before the stream is ended; the client then reconnects and reads the whole
   * state.
   */
  public int maxPendingPerStream() {
    int max = integer("live.max-pending", 50_000);
    if (max < 1) {
      throw new IllegalArgumentException(P + "live.max-pending must be at least 1");
    }
    return max;
  }

  /**
   * How long after a patient's last risk score arrived the lifecycle removes the patient's state
   * (open alerts resolved, risk trend, last-seen clock) and the view forgets their resolved alerts.
   */
  public Duration patientExpiry() {
    return positive("patient-expiry", Duration.ofDays(30));
  }

  /**
   * How long a MEDIUM or LOW alert that cleared by itself stays in the nurse's list, marked so,
   * after it cleared; zero drops it at once.
   */
  public Duration selfClearedListed() {
    Duration d = duration("list.self-cleared-for", Duration.ofMinutes(30));
    if (d.isNegative()) {
      throw new IllegalArgumentException(P + "list.self-cleared-for must not be negative");
    }
    return d;
  }

  /**
   * How far back (by arrival time) the ward overview reads readings and scores at start; the care
   * teams in patients.context are read whole.
   */
  public Duration wardLookback() {
    return positive("ward.lookback", Duration.ofHours(24));
  }

  /** How long without a reading before the ward overview greys a patient as not sending. */
  public Duration wardStaleAfter() {
    return positive("ward.stale-after", Duration.ofMinutes(15));
  }

  /**
   * The host other instances reach this one at ({@code vigil.alerts.advertised-host}, env {@code
   * VIGIL_ALERTS_ADVERTISED_HOST}): advertised with the HTTP port as Kafka Streams' {@code
   * application.server}, so an instance asked for a patient whose history another instance holds
   * knows whom to ask.
   */
  public String advertisedHost() {
    String host = string("advertised-host", "127.0.0.1").trim();
    if (host.isEmpty() || host.contains(":") || host.contains("/")) {
      throw new IllegalArgumentException(
          P + "advertised-host must be a host name or IPv4 address, got '" + host + "'");
    }
    return host;
  }

  /**
   * The HTTP port advertised to other instances: {@code vigil.alerts.advertised-port} when the
   * instance is reached through a port mapping, else the server's port ({@code PORT}); 0 or less (a
   * random port, tests only) advertises nothing and every query is answered from this instance.
   */
  public int advertisedPort() {
    return env.getProperty(P + "advertised-port", Integer.class)
        .orElseGet(() -> env.getProperty("micronaut.server.port", Integer.class).orElse(8080));
  }

  /** Longest wait for the instance holding a patient's history to answer a forwarded read. */
  public Duration forwardTimeout() {
    return positive("forward-timeout", Duration.ofSeconds(3));
  }

  private Duration positive(String key, Duration fallback) {
    Duration d = duration(key, fallback);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(P + key + " must be positive");
    }
    return d;
  }

  public Path home() {
    return home;
  }

  public PolicyBook policies() {
    return policies;
  }

  public LifecycleSettings lifecycle() {
    return lifecycle;
  }

  public WebhookSettings webhooks() {
    return webhooks;
  }

  /**
   * Transport security for every Kafka client of the service ({@code KAFKA_SECURITY_PROTOCOL},
   * {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}; see {@link
   * io.vigil.schemas.topics.KafkaConnection}); empty for plaintext.
   */
  public java.util.Properties kafkaSecurity() {
    return io.vigil.schemas.topics.KafkaConnection.fromEnvironment().securityProperties();
  }

  public String bootstrapServers() {
    return env.getProperty("kafka.bootstrap.servers", String.class).orElse("127.0.0.1:9092");
  }

  public String applicationId() {
    return string("application-id", "vigil-alerts");
  }

  public Path stateDir() {
    return env.getProperty(P + "state-dir", String.class)
        .map(Path::of)
        .orElse(home.resolve("alerts").resolve("streams"));
  }

  public short replicationFactor() {
    return (short) integer("replication-factor", 1);
  }

  /**
   * The tenant of team names written without one: bare names in the users file, in token claims
   * without a tenant claim, and under {@code vigil.alerts.teams.*}. Also the demo nurse's tenant.
   */
  public String defaultTenant() {
    return defaultTenant;
  }

  /** The demo nurse's teams, {@code tenant/team}: the demo teams of the default tenant. */
  public List<String> demoTeams() {
    return List.of(string("demo.teams", "ward-1").split("\\s*,\\s*")).stream()
        .map(t -> TeamKeys.qualify(t, defaultTenant))
        .toList();
  }

  /** First wait before an alarm path that failed (alert view, webhook delivery) is restarted. */
  public Duration restartInitialBackoff() {
    return duration("restart.initial-backoff", Duration.ofSeconds(1));
  }

  /** Longest wait between restarts of a failing alarm path. */
  public Duration restartMaxBackoff() {
    return duration("restart.max-backoff", Duration.ofMinutes(1));
  }

  /** Token claim naming the tenant of a hospital's nurse whose teams claim holds bare names. */
  public String tenantClaim() {
    return string("security.tenant-claim", "tenant");
  }

  public String teamsClaim() {
    return string("security.teams-claim", "teams");
  }

  public Path usersFile() {
    return env.getProperty(P + "security.users-file", String.class)
        .map(Path::of)
        .orElse(home.resolve("alerts").resolve("users.properties"));
  }
}
