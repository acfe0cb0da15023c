package io.vigil.alerts.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.app.WebhookReceiver;
import io.vigil.schemas.testing.SampleRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
  private static final String SECRET = "team-secret-0123456789";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC);

  private static WebhookConfig settings(int attempts) {
    return new WebhookConfig(
        Map.of(), attempts, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2));
  }

  @Test
  void shouldSignRetryWithBackoffAndKeepTheIdempotencyKey() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(call -> call <= 2 ? 503 : 204)) {
      String body = WebhookPayload.of("clinic-a/p1", SampleRecords.alertEvent());
      List<String> failures = new ArrayList<>();
      WebhookSender.Result r =
          new WebhookSender(settings(5), CLOCK)
              .deliver(
                  new WebhookConfig.Endpoint(receiver.url(), SECRET),
                  "evt-1",
                  "ESCALATED",
                  body,
                  failures::add);
      assertTrue(r.delivered());
      assertEquals(3, r.attempts());
      assertNull(r.lastError());
      assertEquals(List.of("HTTP 503", "HTTP 503"), failures);
      assertEquals(3, receiver.received.size());
      for (WebhookReceiver.Received got : receiver.received) {
        assertEquals("evt-1", got.header("Idempotency-Key"));
        assertEquals(body, got.body());
        String expected =
            "t="
                + CLOCK.instant().getEpochSecond()
                + ",v1="
                + WebhookSigner.hmacHex(SECRET, CLOCK.instant().getEpochSecond() + "." + body);
        assertEquals(expected, got.header(WebhookSigner.HEADER));
      }
      assertEquals("3", receiver.received.get(2).header("X-Vigil-Attempt"));
    }
  }

  @Test
  void shouldGiveUpAfterMaxAttemptsSoTheEventCanBeDeadLettered() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(call -> 500)) {
      WebhookSender.Result r =
          new WebhookSender(settings(3), CLOCK)
              .deliver(
                  new WebhookConfig.Endpoint(receiver.url(), SECRET),
                  "evt-2",
                  "RAISED",
                  "{}",
                  e -> {});
      assertFalse(r.delivered());
      assertEquals(3, r.attempts());
      assertEquals("HTTP 500", r.lastError());
      assertEquals(3, receiver.received.size());
    }
  }

  @Test
  void shouldCountAnUnreachableEndpointAsAFailedAttempt() throws Exception {
    String url;
    try (WebhookReceiver closed = new WebhookReceiver(call -> 200)) {
      url = closed.url();
    }
    WebhookSender.Result r =
        new WebhookSender(settings(2), CLOCK)
            .deliver(new WebhookConfig.Endpoint(url, SECRET), "evt-3", "RAISED", "{}", e -> {});
    assertFalse(r.delivered());
    assertTrue(r.lastError().contains("ConnectException"), r.lastError());
  }

  @Test
  void shouldDoubleTheBackoffUpToTheCap() {
    WebhookConfig s = settings(10);
    assertEquals(Duration.ofMillis(20), s.backoff(1));
    assertEquals(Duration.ofMillis(40), s.backoff(2));
    assertEquals(Duration.ofMillis(160), s.backoff(4));
    assertEquals(Duration.ofMillis(200), s.backoff(5));
  }

  @Test
  void shouldCarryNoIdentifyingDataBeyondThePatientKey() {
    var event = SampleRecords.alertEvent();
    event.setNote("Mrs Jane Doe, born 1950-01-01, room 12");
    String body = WebhookPayload.of("clinic-a/p1", event);
    assertTrue(body.contains("\"patient\":\"clinic-a/p1\""));
    assertFalse(body.contains("Jane"), body);
    assertFalse(body.contains("note"), body);
  }
}
