package io.vigil.ingest.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The metrics of the {@code patients.context} follower (the patient bound's view of every
 * instance's context). Registered when the follower starts, so they are absent while the bound is
 * off and there is nothing to follow.
 */
public final class ContextFollowerMetrics {
  private final Gauge up;
  private final Counter records;
  private final Counter restarts;
  private final Gauge lag;

  ContextFollowerMetrics(PrometheusRegistry registry) {
    this.up =
        Gauge.builder()
            .name("vigil_ingest_context_follower_up")
            .help(
                "1 while the patients.context follower reads the topic (catching up or caught up),"
                    + " 0 from a failure until a broker answers it again")
            .register(registry);
    this.records =
        Counter.builder()
            .name("vigil_ingest_context_follower_records_total")
            .help("Records the follower read from patients.context")
            .register(registry);
    this.restarts =
        Counter.builder()
            .name("vigil_ingest_context_follower_restarts_total")
            .help("Times the follower failed and started again after its backoff")
            .register(registry);
    this.lag =
        Gauge.builder()
            .name("vigil_ingest_context_follower_lag_records")
            .help("Records on patients.context the follower had not read at its last check")
            .register(registry);
  }

  public void up(boolean reading) {
    up.set(reading ? 1 : 0);
  }

  public void read(int count) {
    records.inc(count);
  }

  public void restarted() {
    restarts.inc();
  }

  public void lag(long count) {
    lag.set(count);
  }
}
