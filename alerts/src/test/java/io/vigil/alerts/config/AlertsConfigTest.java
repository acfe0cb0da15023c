package io.vigil.alerts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {
  private static AlertsConfig config(Map<String, Object> props) {
    ApplicationContext ctx = ApplicationContext.builder().properties(props).build();
    Environment env = ctx.getEnvironment().start();
    return new AlertsConfig(env);
  }

  @Test
  void shouldUseDocumentedDefaultsAndTheGlobalLstmThresholdOverride() {
    AlertsConfig c = config(Map.of("vigil.alerts.policy.lstm-threshold", "0.62"));
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
    AlertsConfig c = config(p);
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
    AlertsConfig c = config(p);
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
    AlertsConfig c = config(p);
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
    AlertsConfig c = config(p);
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
}
