package io.vigil.alerts.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * POSTs one signed payload to a webhook, retrying with exponential backoff until it is accepted
 * (2xx) or the attempts run out. The same idempotency key goes with every attempt, so a receiver
 * that did get an earlier attempt can drop the repeat.
 */
public final class WebhookSender {
  /** How a delivery ended. */
  public record Result(boolean delivered, int attempts, String lastError) {}

  private final WebhookConfig settings;
  private final HttpClient client;
  private final Clock clock;

  public WebhookSender(WebhookConfig settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public Result deliver(
      WebhookConfig.Endpoint endpoint,
      String idempotencyKey,
      String eventType,
      String body,
      Consumer<String> onFailedAttempt)
      throws InterruptedException {
    String lastError = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      long now = clock.instant().getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(endpoint.url()))
              .timeout(settings.timeout())
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", idempotencyKey)
              .header("X-Vigil-Event", eventType)
              .header("X-Vigil-Attempt", Integer.toString(attempt))
              .header(WebhookSigner.HEADER, WebhookSigner.header(endpoint.secret(), now, body))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          return new Result(true, attempt, null);
        }
        lastError = "HTTP " + response.statusCode();
      } catch (IOException e) {
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      onFailedAttempt.accept(lastError);
      if (attempt < settings.maxAttempts()) {
        Thread.sleep(settings.backoff(attempt).toMillis());
      }
    }
    return new Result(false, settings.maxAttempts(), lastError);
  }
}
