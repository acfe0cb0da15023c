package io.vigil.alerts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.delivery.WebhookConfig;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {
  /** The settings a test reads, bound as at start from application.yml and {@code props}. */
  private record Bound(
      AlertsConfig config, TeamsConfig teams, LifecycleConfig lifecycle, WebhookConfig webhooks) {
    PolicyBook policies() {
      return teams.policies();
    }

    String defaultTenant() {
      return config.defaultTenant();
    }

    List<String> demoTeams() {
      return config.demoTeams();
    }
  }

  /** The settings {@code props} give; a refused value throws the check's own exception. */
  private static Bound config(Map<String, Object> props) {
    try (ConfigContext ctx = ConfigContext.start(props)) {
      return new Bound(
          ctx.getBean(AlertsConfig.class),
          ctx.getBean(TeamsConfig.class),
          ctx.getBean(LifecycleConfig.class),
          ctx.getBean(WebhookConfig.class));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IllegalArgumentException refused) {
          throw refused;
        }
      }
      throw e;
    }
  }

  @Test
  void shouldUseDocumentedDefaultsAndTheGlobalLstmThresholdOverride() {
    Bound c = config(Map.of("vigil.alerts.policy.lstm-threshold", "0.62"));
    assertEquals(0.62, c.policies().defaults().lstmThreshold());
    assertFalse(c.policies().defaults().lstmThresholdFromModel(), "an explicit threshold wins");
    assertTrue(config(Map.of()).policies().defaults().lstmThresholdFromModel());
    assertEquals(7, c.policies().defaults().news2High());
    assertEquals(Duration.ofMinutes(5), c.policies().defaults().ackLimit(AlertPriority.HIGH));
    assertEquals("unassigned", c.lifecycle().fallbackTeam());
    assertEquals("demo", c.defaultTenant());
    assertEquals(java.util.List.of("demo/ward-1"), c.demoTeams());
    assertTrue(c.webhooks().endpoints().isEmpty());
  }

  @Test
  void shouldLetATenantsCareTeamOverrideItsPolicyAndAddAWebhook() {
    Map<String, Object> p = new HashMap<>();
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.policy.lstm-threshold", "0.35");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.policy.lstm-priority", "high");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.policy.ack-limit.high", "2m");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.policy.readings-stopped-after", "45m");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.policy.readings-stopped-priority", "medium");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.webhook.url", "https://pager.example/hook");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.webhook.secret", "0123456789abcdef");
    Bound c = config(p);
    var icu = c.policies().forTeam("clinic-a", "icu-2");
    assertEquals(0.35, icu.lstmThreshold());
    assertFalse(icu.lstmThresholdFromModel());
    assertTrue(c.policies().forTeam("clinic-a", "ward-1").lstmThresholdFromModel());
    assertEquals(AlertPriority.HIGH, icu.priorityOf(AlertCause.LSTM_RISK));
    assertEquals(Duration.ofMinutes(2), icu.ackLimit(AlertPriority.HIGH));
    assertEquals(Duration.ofMinutes(15), icu.ackLimit(AlertPriority.MEDIUM), "inherits defaults");
    assertEquals(Duration.ofMinutes(45), icu.readingsStoppedAfter());
    assertEquals(AlertPriority.MEDIUM, icu.priorityOf(AlertCause.READINGS_STOPPED));
    var otherTenant = c.policies().forTeam("clinic-b", "icu-2");
    assertEquals(0.5, otherTenant.lstmThreshold(), "another tenant's icu-2 is another team");
    assertEquals(Duration.ofHours(3), otherTenant.readingsStoppedAfter(), "the safe default");
    assertEquals(AlertPriority.LOW, otherTenant.priorityOf(AlertCause.READINGS_STOPPED));
    assertEquals(
        "https://pager.example/hook", c.webhooks().endpoints().get("clinic-a/icu-2").url());
    assertEquals(null, c.webhooks().endpoints().get("clinic-b/icu-2"));
  }

  @Test
  void shouldReadTeamsConfiguredWithoutATenantAsTeamsOfTheDefaultTenant() {
    Map<String, Object> p = new HashMap<>();
    p.put("vigil.alerts.default-tenant", "hospital-x");
    p.put("vigil.alerts.teams.icu-2.policy.news2-high", "8");
    p.put("vigil.alerts.teams.icu-2.webhook.url", "https://pager.example/hook");
    p.put("vigil.alerts.teams.icu-2.webhook.secret", "0123456789abcdef");
    Bound c = config(p);
    assertEquals(8, c.policies().forTeam("hospital-x", "icu-2").news2High());
    assertEquals(7, c.policies().forTeam("clinic-b", "icu-2").news2High());
    assertEquals(java.util.Set.of("hospital-x/icu-2"), c.webhooks().endpoints().keySet());
    assertEquals(java.util.List.of("hospital-x/ward-1"), c.demoTeams());
  }

  @Test
  void shouldNameTheKeyOfAnImpossibleValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> config(Map.of("vigil.alerts.teams.ward-3.policy.news2-high", "4")));
    assertTrue(e.getMessage().startsWith("vigil.alerts.teams.ward-3.policy."), e.getMessage());
    assertTrue(e.getMessage().contains("NEWS2 thresholds"), e.getMessage());
  }

  @Test
  void shouldRefuseAWebhookWithoutASecret() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> config(Map.of("vigil.alerts.teams.ward-3.webhook.url", "https://x.example/h")));
    assertTrue(e.getMessage().contains("webhook.secret is required"), e.getMessage());
  }

  private static IllegalArgumentException refused(Map<String, Object> props) {
    return assertThrows(IllegalArgumentException.class, () -> config(props));
  }

  @Test
  void shouldGiveATeamAnAlertBudgetWithItsOwnOrTheDocumentedSettings() {
    Map<String, Object> p = new HashMap<>();
    String ward = "vigil.alerts.tenants.clinic-a.teams.ward-1.policy.";
    p.put(ward + "alert-budget", "0.5");
    p.put(ward + "budget-window", "3d");
    String icu = "vigil.alerts.tenants.clinic-a.teams.icu-2.policy.";
    p.put(icu + "news2-high", "8");
    Bound c = config(p);
    var budget = c.policies().forTeam("clinic-a", "ward-1").budget();
    assertEquals(0.5, budget.onsetsPerPatientDay());
    assertEquals(Duration.ofDays(3), budget.window());
    assertEquals(Duration.ofHours(1), budget.recompute(), "documented default");
    assertEquals(0.25, budget.maxStep());
    assertEquals(10.0, budget.minPatientDays());
    assertTrue(c.policies().forTeam("clinic-a", "ward-1").lstmThresholdFromModel());
    assertEquals(null, c.policies().forTeam("clinic-a", "icu-2").budget(), "none unless chosen");
  }

  @Test
  void shouldLetATeamsFixedThresholdOrBudgetOverrideTheServiceDefault() {
    Map<String, Object> p = new HashMap<>();
    p.put("vigil.alerts.policy.alert-budget", "0.7");
    p.put("vigil.alerts.policy.budget-max-step", "0.1");
    p.put("vigil.alerts.tenants.clinic-a.teams.icu-2.policy.lstm-threshold", "0.3");
    p.put("vigil.alerts.tenants.clinic-a.teams.ward-1.policy.alert-budget", "0.2");
    Bound c = config(p);
    assertEquals(0.7, c.policies().defaults().budget().onsetsPerPatientDay());
    var icu = c.policies().forTeam("clinic-a", "icu-2");
    assertEquals(null, icu.budget(), "the team's fixed threshold wins over the service budget");
    assertFalse(icu.lstmThresholdFromModel());
    var ward = c.policies().forTeam("clinic-a", "ward-1").budget();
    assertEquals(0.2, ward.onsetsPerPatientDay());
    assertEquals(0.1, ward.maxStep(), "inherits the service's step");

    Map<String, Object> q = new HashMap<>();
    q.put("vigil.alerts.policy.lstm-threshold", "0.3");
    q.put("vigil.alerts.tenants.clinic-a.teams.ward-1.policy.alert-budget", "0.5");
    var overFixed = config(q).policies().forTeam("clinic-a", "ward-1");
    assertEquals(0.5, overFixed.budget().onsetsPerPatientDay(), "the team's budget wins");
    assertTrue(overFixed.lstmThresholdFromModel(), "the model's threshold during warm-up");
  }

  @Test
  void shouldRefuseABudgetAndAFixedThresholdOnOneTeam() {
    String ward = "vigil.alerts.tenants.clinic-a.teams.ward-1.policy.";
    IllegalArgumentException e =
        refused(Map.of(ward + "alert-budget", "0.5", ward + "lstm-threshold", "0.3"));
    assertEquals(
        ward
            + "*: alert-budget and lstm-threshold both set: choose one (a budget derives the"
            + " threshold)",
        e.getMessage());
  }

  @Test
  void shouldRefuseImpossibleBudgetSettingsNamingTheKey() {
    String ward = "vigil.alerts.tenants.clinic-a.teams.ward-1.policy.";
    Map<String, String> bad =
        Map.of(
            "alert-budget=0", "alert-budget must be a positive number",
            "alert-budget=-0.5", "alert-budget must be a positive number",
            "alert-budget=lots", "alert-budget must be a number: lots",
            "budget-window=30m", "budget-window must be at least 1 h",
            "budget-window=weekly", "budget-window must be a duration",
            "budget-recompute=0s", "budget-recompute must be positive",
            "budget-recompute=8d", "must not exceed budget-window",
            "budget-max-step=0", "budget-max-step must be in (0, 1]",
            "budget-max-step=1.5", "budget-max-step must be in (0, 1]",
            "budget-min-patient-days=0", "budget-min-patient-days must be a positive");
    bad.forEach(
        (setting, message) -> {
          String[] kv = setting.split("=");
          Map<String, Object> p = new HashMap<>();
          p.put(ward + "alert-budget", "0.5");
          p.put(ward + kv[0], kv[1]);
          IllegalArgumentException e = refused(p);
          assertTrue(e.getMessage().startsWith(ward + "*: "), e.getMessage());
          assertTrue(e.getMessage().contains(message), setting + ": " + e.getMessage());
        });
    IllegalArgumentException orphan = refused(Map.of(ward + "budget-window", "3d"));
    assertTrue(
        orphan.getMessage().contains("budget-window is set but no alert-budget applies"),
        orphan.getMessage());
  }

  @Test
  void shouldUseTheDocumentedDefaultsOfEveryServiceSetting() {
    try (ConfigContext ctx = ConfigContext.startWithEnvironment(Map.of())) {
      AlertsConfig c = ctx.getBean(AlertsConfig.class);
      VigilHome home = ctx.getBean(VigilHome.class);
      assertEquals("127.0.0.1:9092", c.bootstrapServers());
      assertEquals("vigil-alerts", c.applicationId());
      assertEquals(Path.of(".vigil", "alerts", "streams"), c.stateDir(home));
      assertEquals(1, c.replicationFactor());
      assertEquals(Duration.ofDays(30), c.patientExpiry());
      assertEquals("127.0.0.1", c.advertisedHost());
      assertEquals(8080, c.advertisedPort(), "the server's port");
      assertEquals(Duration.ofSeconds(3), c.forwardTimeout());
      assertEquals(
          new AlertsConfig.Timers(
              Duration.ofSeconds(1),
              Duration.ofSeconds(30),
              Duration.ofMinutes(2),
              Duration.ofDays(7)),
          c.timers());
      assertEquals(
          new AlertsConfig.Webhook(
              5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5)),
          c.webhook());
      assertEquals(
          new AlertsConfig.Restart(Duration.ofSeconds(1), Duration.ofMinutes(1)), c.restart());
      assertEquals(
          new AlertsConfig.ScoringWatch(
              "vigil-scoring", Duration.ofSeconds(90), Duration.ofMinutes(10)),
          c.scoringWatch());
      assertEquals(
          new AlertsConfig.LifecycleWatch(Duration.ofSeconds(60), 3, Duration.ofMinutes(10)),
          c.lifecycleWatch());
      assertEquals(Duration.ofSeconds(5), c.audit().timeout());
      assertEquals(new AlertsConfig.Live(5, 50_000), c.live());
      assertEquals(Duration.ofMinutes(30), c.list().selfClearedFor());
      assertEquals(new AlertsConfig.Ward(Duration.ofHours(24), Duration.ofMinutes(15)), c.ward());
      assertEquals("teams", c.security().teamsClaim());
      assertEquals("tenant", c.security().tenantClaim());
      assertEquals(Path.of(".vigil", "alerts", "users.properties"), c.security().usersFile(home));
      assertFalse(ctx.getProperty("vigil.demo", Boolean.class).orElseThrow());
    }
  }

  @Test
  void shouldGiveEveryProducerTheBrokerAndWritesEveryReplicaAcknowledgedOnce() {
    try (ConfigContext ctx =
        ConfigContext.startWithEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093"))) {
      Properties producer = ctx.getBean(AlertsConfig.class).durableProducer();
      assertEquals("broker-1:9093", producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
      assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
      assertEquals(true, producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    }
  }

  @Test
  void shouldTakeTheDocumentedEnvironmentVariables() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092");
    env.put("PORT", "9080");
    env.put("VIGIL_HOME", "/var/lib/vigil");
    env.put("VIGIL_DEMO", "true");
    env.put("VIGIL_DEFAULT_TENANT", "hospital-x");
    env.put("VIGIL_DEMO_TEAM", "icu-1, ward-2");
    env.put("VIGIL_ALERTS_APPLICATION_ID", "alerts-b");
    env.put("VIGIL_ALERTS_REPLICATION_FACTOR", "3");
    env.put("VIGIL_ALERTS_SECURITY_USERS_FILE", "/run/secrets/users.properties");
    env.put("VIGIL_ALERTS_ADVERTISED_HOST", "alerts-0.alerts");
    env.put("VIGIL_ALERTS_SCORING_WATCH_GRACE", "2m");
    env.put("VIGIL_ALERTS_POLICY_LSTM_THRESHOLD", "0.4");
    try (ConfigContext ctx = ConfigContext.startWithEnvironment(env)) {
      AlertsConfig c = ctx.getBean(AlertsConfig.class);
      VigilHome home = ctx.getBean(VigilHome.class);
      assertEquals("kafka-1:9092", c.bootstrapServers());
      assertEquals(9080, c.advertisedPort(), "the server's port");
      assertEquals(Path.of("/var/lib/vigil", "alerts", "streams"), c.stateDir(home));
      assertTrue(ctx.getProperty("vigil.demo", Boolean.class).orElseThrow());
      assertEquals("hospital-x", c.defaultTenant());
      assertEquals(List.of("hospital-x/icu-1", "hospital-x/ward-2"), c.demoTeams());
      assertEquals("alerts-b", c.applicationId());
      assertEquals(3, c.replicationFactor());
      assertEquals(Path.of("/run/secrets/users.properties"), c.security().usersFile(home));
      assertEquals("alerts-0.alerts", c.advertisedHost());
      assertEquals(Duration.ofMinutes(2), c.scoringWatch().grace());
      assertEquals(0.4, ctx.getBean(TeamsConfig.class).policies().defaults().lstmThreshold());
    }
  }

  @Test
  void shouldRefuseToStartWithAServiceSettingOfTheWrongTypeNamingTheKey() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> ConfigContext.start(Map.of("vigil.alerts.timers.tick", "soon")).close());
    assertTrue(e.getMessage().contains("[vigil.alerts.timers.tick]"), e.getMessage());
    assertTrue(e.getMessage().contains("[soon]"), e.getMessage());
    IllegalArgumentException range = refused(Map.of("vigil.alerts.live.max-streams-per-user", "0"));
    assertEquals("vigil.alerts.live.max-streams-per-user must be at least 1", range.getMessage());
  }

  @Test
  void shouldRefuseATeamPolicyValueOfTheWrongTypeInsteadOfInheritingTheDefault() {
    String ward = "vigil.alerts.tenants.clinic-a.teams.ward-1.policy.";
    IllegalArgumentException e = refused(Map.of(ward + "news2-high", "seven"));
    assertEquals(ward + "*: news2-high must be a whole number: seven", e.getMessage());
    IllegalArgumentException limit = refused(Map.of(ward + "ack-limit.high", "soon"));
    assertEquals(
        ward + "*: ack-limit.high must be a duration such as 7d or 1h: soon", limit.getMessage());
  }
}
