package io.vigil.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void shouldDoubleTheBackoffFromOneSecondUpToThirtySeconds() {
    RestartPolicy p = RestartPolicy.DEFAULT;
    assertEquals(Duration.ofSeconds(1), p.backoff(1));
    assertEquals(Duration.ofSeconds(2), p.backoff(2));
    assertEquals(Duration.ofSeconds(16), p.backoff(5));
    assertEquals(Duration.ofSeconds(30), p.backoff(6));
    assertEquals(Duration.ofSeconds(30), p.backoff(60));
  }

  @Test
  void shouldAllowFiveRestartsWithinTenMinutesAndRefuseTheSixth() {
    Deque<Instant> restarts = new ArrayDeque<>();
    for (int i = 0; i < 5; i++) {
      assertTrue(RestartPolicy.DEFAULT.allow(restarts, T.plusSeconds(60L * i)), "restart " + i);
    }
    assertFalse(RestartPolicy.DEFAULT.allow(restarts, T.plus(Duration.ofMinutes(9))));
    assertEquals(5, restarts.size(), "a refused restart is not counted");
  }

  @Test
  void shouldForgetRestartsOlderThanTheWindow() {
    Deque<Instant> restarts = new ArrayDeque<>();
    for (int i = 0; i < 5; i++) {
      RestartPolicy.DEFAULT.allow(restarts, T.plusSeconds(i));
    }
    assertFalse(
        RestartPolicy.DEFAULT.allow(restarts, T.plus(Duration.ofMinutes(10)).minusMillis(1)));
    assertTrue(
        RestartPolicy.DEFAULT.allow(restarts, T.plus(Duration.ofMinutes(10)).plusSeconds(1)),
        "the first two restarts are more than ten minutes old");
    assertEquals(4, restarts.size());
  }

  @Test
  void shouldRefuseEveryRestartWithALimitOfZero() {
    RestartPolicy never =
        new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofMinutes(1));
    assertFalse(never.allow(new ArrayDeque<>(), T));
  }

  @Test
  void shouldRejectABackoffAboveItsMaximum() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RestartPolicy(
                Duration.ofSeconds(5), Duration.ofSeconds(1), 5, Duration.ofMinutes(1)));
  }

  @Test
  void shouldNameTheSignalOfAJvmExitStatus() {
    assertEquals("SIGKILL", ServiceProcess.signalName(137));
    assertEquals("SIGTERM", ServiceProcess.signalName(143));
    assertEquals("signal 7", ServiceProcess.signalName(135));
    assertEquals(null, ServiceProcess.signalName(1));
    assertEquals(null, ServiceProcess.signalName(0));
  }
}
