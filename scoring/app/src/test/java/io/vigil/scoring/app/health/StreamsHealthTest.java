package io.vigil.scoring.app.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.health.HealthStatus;
import io.vigil.kit.streams.ThreadFailures;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  @Test
  void shouldBeReadyWhileRunningOrRebalancingAndNotOtherwise() {
    ThreadFailures none = new ThreadFailures(Duration.ofMinutes(10), 3);
    assertEquals(HealthStatus.UP, status(KafkaStreams.State.RUNNING, none, T0));
    assertEquals(HealthStatus.UP, status(KafkaStreams.State.REBALANCING, none, T0));
    for (KafkaStreams.State s :
        new KafkaStreams.State[] {
          KafkaStreams.State.CREATED,
          KafkaStreams.State.PENDING_SHUTDOWN,
          KafkaStreams.State.NOT_RUNNING,
          KafkaStreams.State.PENDING_ERROR,
          KafkaStreams.State.ERROR
        }) {
      assertEquals(HealthStatus.DOWN, status(s, none, T0), s.name());
    }
    assertEquals(HealthStatus.DOWN, StreamsHealth.notStarted().getStatus());
  }

  @Test
  void shouldTurnReadinessDownWhileAStreamThreadKeepsFailingAndUpOnceTheWindowPassed() {
    ThreadFailures failures = new ThreadFailures(Duration.ofMinutes(10), 3);
    failures.record(T0);
    failures.record(T0.plusSeconds(60));
    assertEquals(HealthStatus.UP, status(KafkaStreams.State.RUNNING, failures, T0.plusSeconds(61)));
    failures.record(T0.plusSeconds(120));
    assertEquals(
        HealthStatus.DOWN, status(KafkaStreams.State.RUNNING, failures, T0.plusSeconds(121)));
    assertEquals(
        "stream threads keep failing",
        StreamsHealth.evaluate(KafkaStreams.State.RUNNING, failures, T0.plusSeconds(121))
                .getDetails()
                .toString()
                .contains("stream threads keep failing")
            ? "stream threads keep failing"
            : "");
    // Ten minutes after the first failure only two remain in the window.
    assertEquals(
        HealthStatus.UP,
        status(KafkaStreams.State.RUNNING, failures, T0.plus(Duration.ofMinutes(10))));
    assertEquals(3, failures.total());
  }

  private static HealthStatus status(KafkaStreams.State state, ThreadFailures f, Instant now) {
    return StreamsHealth.evaluate(state, f, now).getStatus();
  }
}
