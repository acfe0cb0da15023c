package io.vigil.alerts.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.topics.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The service's settings under {@code vigil.alerts} (each care team's policy and webhook: {@link
 * TeamsConfig}), bound at start: application.yml holds every default, the environment overrides any
 * of them ({@code VIGIL_ALERTS_X_Y} is {@code vigil.alerts.x-y}), and a value of the wrong type or
 * out of range stops the start with a message that names the key.
 *
 * @param bootstrapServers the brokers, {@code kafka.bootstrap.servers} ({@code
 *     KAFKA_BOOTSTRAP_SERVERS})
 * @param applicationId the lifecycle's Kafka Streams application id; the vitals history's is this
 *     plus {@code -history}, each webhook endpoint's group this plus {@code
 *     -webhooks-<tenant>.<team>}
 * @param stateDir where Kafka Streams keeps its state; blank for {@code $VIGIL_HOME/alerts/streams}
 * @param replicationFactor copies of each partition of the topics the service creates
 * @param defaultTenant the tenant of team names written without one: bare names in the users file,
 *     in token claims without a tenant claim, and under {@code vigil.alerts.teams.*}; also the demo
 *     nurse's tenant
 * @param fallbackTeam the team (of each tenant) of patients without a known care team
 * @param patientExpiry how long after a patient's last risk score arrived the lifecycle removes the
 *     patient's state (open alerts resolved, risk trend, last-seen clock) and the view forgets
 *     their resolved alerts
 * @param advertisedHost the host other instances reach this one at: advertised with the HTTP port
 *     as Kafka Streams' {@code application.server}, so an instance asked for a patient whose
 *     history another instance holds knows whom to ask
 * @param advertisedPort the HTTP port advertised to other instances (by default the server's, set
 *     it when the instance is reached through a port mapping); 0 or less (a random port, tests
 *     only) advertises nothing and every query is answered from this instance
 * @param forwardTimeout longest wait for the instance holding a patient's history to answer a
 *     forwarded read
 */
@ConfigurationProperties("vigil.alerts")
public record AlertsConfig(
    @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
    String applicationId,
    @Nullable String stateDir,
    short replicationFactor,
    String defaultTenant,
    String fallbackTeam,
    Duration patientExpiry,
    String advertisedHost,
    int advertisedPort,
    Duration forwardTimeout,
    Demo demo,
    Timers timers,
    Webhook webhook,
    Restart restart,
    ScoringWatch scoringWatch,
    LifecycleWatch lifecycleWatch,
    Audit audit,
    Live live,
    Listing list,
    Ward ward,
    Security security) {

  private static final String P = "vigil.alerts.";

  public AlertsConfig {
    TeamKeys.of(defaultTenant, "check"); // a tenant with '/' or blank stops the start here
    positive("patient-expiry", patientExpiry);
    positive("forward-timeout", forwardTimeout);
    advertisedHost = advertisedHost.trim();
    if (advertisedHost.isEmpty() || advertisedHost.contains(":") || advertisedHost.contains("/")) {
      throw new IllegalArgumentException(
          P + "advertised-host must be a host name or IPv4 address, got '" + advertisedHost + "'");
    }
  }

  /** The demo nurse's teams, {@code tenant/team}: the demo teams of the default tenant. */
  public List<String> demoTeams() {
    return List.of(demo.teams().split("\\s*,\\s*")).stream()
        .map(t -> TeamKeys.qualify(t, defaultTenant))
        .toList();
  }

  public Path stateDir(VigilHome home) {
    return stateDir == null || stateDir.isBlank()
        ? home.resolve("alerts").resolve("streams")
        : Path.of(stateDir);
  }

  /**
   * Transport security for every Kafka client of the service ({@code KAFKA_SECURITY_PROTOCOL},
   * {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}; see {@link KafkaConnection}); empty for plaintext.
   */
  public Properties kafkaSecurity() {
    return KafkaConnection.fromEnvironment().securityProperties();
  }

  /**
   * What every producer of the service starts from: the broker, {@link #kafkaSecurity()}, and
   * writes acknowledged by every in-sync replica ({@code acks=all}) with idempotence, so a write
   * that returned is durable and a retried one is not written twice. Each producer adds its own
   * timeouts.
   */
  public Properties durableProducer() {
    Properties p = kafkaSecurity();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return p;
  }

  /** The demo nurse ({@code vigil.alerts.demo.*}). */
  @ConfigurationProperties("demo")
  public record Demo(String teams) {}

  /**
   * The lifecycle's wall-clock timers ({@code vigil.alerts.timers.*}).
   *
   * @param tick how often escalation deadlines are checked
   * @param stoppedCheck how often patients are checked for stopped risk scores
   * @param startupGrace after a start, time allowed to catch up on backlog before stopped readings
   *     are judged
   * @param actionMemory how long a nurse action's id is remembered to ignore its resends
   */
  @ConfigurationProperties("timers")
  public record Timers(
      Duration tick, Duration stoppedCheck, Duration startupGrace, Duration actionMemory) {}

  /**
   * Webhook delivery ({@code vigil.alerts.webhook.*}).
   *
   * @param maxAttempts attempts before an event is dead-lettered
   * @param initialBackoff wait after the first failure; doubles after each further failure
   * @param maxBackoff upper bound of the wait
   * @param timeout per request
   */
  @ConfigurationProperties("webhook")
  public record Webhook(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {}

  /**
   * Restarts of a reader that failed: the alert view's, the ward overview's, the team thresholds',
   * the webhook loops and the scoring watch ({@code vigil.alerts.restart.*}).
   *
   * @param initialBackoff first wait before a restart
   * @param maxBackoff longest wait between restarts
   */
  @ConfigurationProperties("restart")
  public record Restart(Duration initialBackoff, Duration maxBackoff) {}

  /**
   * The watch over scoring's reports on {@code services.status} ({@code
   * vigil.alerts.scoring-watch.*}).
   *
   * @param application Kafka Streams application id of the scoring instances whose reports count
   *     (scoring's {@code SCORING_APPLICATION_ID})
   * @param grace how long some readings may be scored by no scoring instance before nurses are
   *     told: longer than a rebalance after an instance dies, which takes Kafka's session timeout
   * @param lookback how far back the service reads scoring's reports when it starts
   */
  @ConfigurationProperties("scoring-watch")
  public record ScoringWatch(String application, Duration grace, Duration lookback) {
    public ScoringWatch {
      positive("scoring-watch.grace", grace);
      positive("scoring-watch.lookback", lookback);
    }
  }

  /**
   * The watch over the lifecycle's Kafka Streams client ({@code vigil.alerts.lifecycle-watch.*}):
   * when nurses are told that alerts may not be raised or escalated.
   *
   * @param grace how long the client may be not running (stopped, failed) before nurses are told
   * @param threadFailures stream threads failed and replaced within {@code threadFailureWindow}
   *     from which nurses are told the lifecycle keeps failing
   * @param threadFailureWindow the window those replacements are counted in
   */
  @ConfigurationProperties("lifecycle-watch")
  public record LifecycleWatch(Duration grace, int threadFailures, Duration threadFailureWindow) {
    public LifecycleWatch {
      positive("lifecycle-watch.grace", grace);
      positive("lifecycle-watch.thread-failure-window", threadFailureWindow);
      if (threadFailures < 1) {
        throw new IllegalArgumentException(
            P + "lifecycle-watch.thread-failures must be at least 1");
      }
    }
  }

  /**
   * The audit of reads ({@code vigil.alerts.audit.*}).
   *
   * @param timeout longest wait for Kafka to acknowledge a read's audit record before the read is
   *     refused
   */
  @ConfigurationProperties("audit")
  public record Audit(Duration timeout) {
    public Audit {
      positive("audit.timeout", timeout);
    }
  }

  /**
   * Live streams (SSE) to the nurse's browser ({@code vigil.alerts.live.*}).
   *
   * @param maxStreamsPerUser streams one user may hold open at once; one more is answered 429
   * @param maxPending distinct patients and alerts one stream may have waiting to be sent (each at
   *     most once, in its newest state) before the stream is ended; the client then reconnects and
   *     reads the whole state
   */
  @ConfigurationProperties("live")
  public record Live(int maxStreamsPerUser, int maxPending) {
    public Live {
      if (maxStreamsPerUser < 1) {
        throw new IllegalArgumentException(P + "live.max-streams-per-user must be at least 1");
      }
      if (maxPending < 1) {
        throw new IllegalArgumentException(P + "live.max-pending must be at least 1");
      }
    }
  }

  /**
   * The nurse's alert list ({@code vigil.alerts.list.*}).
   *
   * @param selfClearedFor how long a MEDIUM or LOW alert that cleared by itself stays listed,
   *     marked so, after it cleared; zero drops it at once
   */
  @ConfigurationProperties("list")
  public record Listing(Duration selfClearedFor) {
    public Listing {
      if (selfClearedFor.isNegative()) {
        throw new IllegalArgumentException(P + "list.self-cleared-for must not be negative");
      }
    }
  }

  /**
   * The ward overview ({@code vigil.alerts.ward.*}).
   *
   * @param lookback how far back (by arrival time) readings and scores are read at start; the care
   *     teams in patients.context are read whole
   * @param staleAfter how long without a reading before a patient is greyed as not sending
   */
  @ConfigurationProperties("ward")
  public record Ward(Duration lookback, Duration staleAfter) {
    public Ward {
      positive("ward.lookback", lookback);
      positive("ward.stale-after", staleAfter);
    }
  }

  /**
   * Nurse accounts and session claims ({@code vigil.alerts.security.*}).
   *
   * @param teamsClaim the token claim listing the user's care teams
   * @param tenantClaim the token claim naming the tenant of a nurse whose teams claim holds bare
   *     names
   * @param usersFile the local accounts; blank for {@code $VIGIL_HOME/alerts/users.properties}
   */
  @ConfigurationProperties("security")
  public record Security(String teamsClaim, String tenantClaim, @Nullable String usersFile) {

    public Path usersFile(VigilHome home) {
      return usersFile == null || usersFile.isBlank()
          ? home.resolve("alerts").resolve("users.properties")
          : Path.of(usersFile);
    }
  }

  private static void positive(String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(P + key + " must be positive");
    }
  }
}
