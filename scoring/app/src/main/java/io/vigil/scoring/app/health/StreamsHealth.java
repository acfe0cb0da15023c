package io.vigil.scoring.app.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.vigil.scoring.app.ScoringRuntime;
import io.vigil.scoring.app.ThreadFailures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Readiness of the Kafka Streams side: UP while Streams is RUNNING or REBALANCING and its stream
 * threads are not failing again and again (fewer replacements within the window than the limit);
 * DOWN before the topology started, in any other state, or while a thread keeps failing.
 */
@Readiness
@jakarta.inject.Singleton
public final class StreamsHealth implements HealthIndicator {
  static final String NAME = "kafkaStreams";

  private final ScoringRuntime runtime;

  public StreamsHealth(ScoringRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(
        runtime
            .service()
            .map(s -> evaluate(s.streams().state(), s.threadFailures(), Instant.now()))
            .orElseGet(StreamsHealth::notStarted));
  }

  static HealthResult notStarted() {
    return HealthResult.builder(NAME, HealthStatus.DOWN)
        .details(Map.of("streams", "NOT_STARTED"))
        .build();
  }

  static HealthResult evaluate(KafkaStreams.State state, ThreadFailures failures, Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    int recent = failures.recent(now);
    boolean running =
        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    boolean failing = recent >= failures.limit();
    details.put("streams", state.name());
    details.put("threadsReplacedRecently", recent);
    details.put("threadsReplacedLimit", failures.limit());
    details.put("threadsReplacedWindow", failures.window().toString());
    details.put("threadsReplacedTotal", failures.total());
    if (failing) {
      details.put("reason", "stream threads keep failing");
    }
    return HealthResult.builder(NAME, running && !failing ? HealthStatus.UP : HealthStatus.DOWN)
        .details(details)
        .build();
  }
}
