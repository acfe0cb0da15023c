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
}
