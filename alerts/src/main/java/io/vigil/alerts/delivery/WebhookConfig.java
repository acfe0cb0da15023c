package io.vigil.alerts.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Webhook delivery settings.
 *
 * @param endpoints per care team ({@code tenant/team}): where to POST and the HMAC secret
 * @param maxAttempts attempts before an event is dead-lettered
 * @param initialBackoff wait after the first failure; doubles after each further failure
 * @param maxBackoff upper bound of the wait
 * @param timeout per request
 */
public record WebhookConfig(
    Map<String, Endpoint> endpoints,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration timeout) {

  public WebhookConfig {
    endpoints = Map.copyOf(endpoints);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("vigil.alerts.webhook.max-attempts must be >= 1");
    }
  }

  /** A team's webhook. */
  public record Endpoint(String url, String secret) {
    public Endpoint {
      URI uri = URI.create(url);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
        throw new IllegalArgumentException("webhook url must be http(s): " + url);
      }
      if (secret == null || secret.length() < 16) {
        throw new IllegalArgumentException("webhook secret must be at least 16 characters");
      }
    }
  }

  /** The wait before attempt {@code attempt + 1} after {@code attempt} failures (1-based). */
  public Duration backoff(int attempt) {
    long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }
}
