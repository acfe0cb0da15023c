package io.vigil.scoring.app.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.vigil.kit.streams.ThreadFailures;
import io.vigil.scoring.app.ScoringRuntime;
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
    String reason = reason(state, recent, failures.limit());
    details.put("streams", state.name());
    details.put("threadsReplacedRecently", recent);
    details.put("threadsReplacedLimit", failures.limit());
    details.put("threadsReplacedWindow", failures.window().toString());
    details.put("threadsReplacedTotal", failures.total());
    if (reason != null) {
      details.put("reason", reason);
    }
    return HealthResult.builder(NAME, reason == null ? HealthStatus.UP : HealthStatus.DOWN)
        .details(details)
        .build();
  }

  /**
   * Why an instance in {@code state} with {@code recent} thread replacements is not doing its work,
   * or null while it is: running or rebalancing, and fewer replacements than {@code limit}.
   */
  public static String reason(KafkaStreams.State state, int recent, int limit) {
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return "Kafka Streams is " + state.name();
    }
    return recent >= limit ? "stream threads keep failing" : null;
  }
}
