package io.vigil.alerts.config;

import io.micronaut.context.annotation.Factory;
import io.vigil.alerts.delivery.WebhookConfig;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import jakarta.inject.Singleton;

/** The lifecycle's and the webhooks' settings, from the service's and the care teams'. */
@Factory
final class ConfigFactory {

  @Singleton
  LifecycleConfig lifecycle(AlertsConfig config, TeamsConfig teams) {
    AlertsConfig.Timers timers = config.timers();
    return LifecycleConfig.defaults(teams.policies())
        .withFallbackTeam(config.fallbackTeam())
        .withTimers(timers.tick(), timers.stoppedCheck(), timers.startupGrace())
        .withActionMemory(timers.actionMemory())
        .withPatientExpiry(config.patientExpiry());
  }

  @Singleton
  WebhookConfig webhooks(AlertsConfig config, TeamsConfig teams) {
    AlertsConfig.Webhook webhook = config.webhook();
    return new WebhookConfig(
        teams.webhooks(),
        webhook.maxAttempts(),
        webhook.initialBackoff(),
        webhook.maxBackoff(),
        webhook.timeout());
  }
}
