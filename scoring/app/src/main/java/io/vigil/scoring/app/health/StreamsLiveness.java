package io.vigil.scoring.app.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.vigil.scoring.app.ScoringRuntime;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Liveness: DOWN only when Kafka Streams reached a state it never leaves by itself (ERROR, or
 * shutting down or stopped while the application still runs), so a restart is the remedy.
 */
@Liveness
@Singleton
public final class StreamsLiveness implements HealthIndicator {
  private final ScoringRuntime runtime;

  public StreamsLiveness(ScoringRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    String state = runtime.service().map(s -> s.streams().state().name()).orElse("NOT_STARTED");
    boolean dead =
        state.equals(KafkaStreams.State.ERROR.name())
            || state.equals(KafkaStreams.State.PENDING_ERROR.name())
            || state.equals(KafkaStreams.State.NOT_RUNNING.name());
    return Publishers.just(
        HealthResult.builder("kafkaStreamsAlive", dead ? HealthStatus.DOWN : HealthStatus.UP)
            .details(Map.of("streams", state))
            .build());
  }
}
