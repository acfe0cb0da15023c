package io.vigil.alerts.health;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.view.AlertView;
import io.vigil.kit.streams.ThreadFailures;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells nurses when this instance's alert lifecycle cannot raise or escalate their alerts. The
 * lifecycle is a Kafka Streams client ({@link AlertsStreams}), not a supervised loop, so it raises
 * no alarm of its own; this watch looks at it every second. When it has not been running or
 * rebalancing for {@link AlertsConfig.LifecycleWatch#grace()} (stopped, or failed in ERROR, which
 * it never leaves until the service restarts), every nurse sees the service's own TECHNICAL alert
 * {@value #STOPPED}; when {@link AlertsConfig.LifecycleWatch#threadFailures()} of its stream
 * threads failed and were replaced within the window (a record it can neither process nor set aside
 * fails each new thread again), {@value #FAILING}. The alert clears when the client runs again and
 * its threads stop failing. The alert view runs apart from the lifecycle, so it can still show
 * this.
 *
 * <p>The watch starts after the lifecycle's client, which is then already rebalancing: a start,
 * however long its restore takes, does not alarm.
 */
@Context
public final class LifecycleWatch {
  /** Component of the TECHNICAL alert. */
  public static final String COMPONENT = "lifecycle";

  /** Cause of the TECHNICAL alert when the lifecycle has not been running for the grace. */
  public static final String STOPPED = "LIFECYCLE_STOPPED";

  /** Cause of the TECHNICAL alert when the lifecycle's stream threads keep failing. */
  public static final String FAILING = "LIFECYCLE_FAILING";

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleWatch.class);

  private final AlertsStreams streams;
  private final AlertView view;
  private final Duration grace;
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vigil-lifecycle-watch");
            t.setDaemon(true);
            return t;
          });
  private Instant stoppedSince;
  private String alarmed;

  public LifecycleWatch(AlertsConfig config, AlertsStreams streams, AlertView view) {
    this.streams = streams;
    this.view = view;
    this.grace = config.lifecycleWatch().grace();
    ticks.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * One look, every second. A look that fails is logged and the next one runs: an executor drops a
   * periodic task whose run throws, which would end the watch without a word.
   */
  private void tick() {
    try {
      judge(Instant.now());
    } catch (RuntimeException e) {
      LOG.error("lifecycle watch could not judge the lifecycle's state; trying again in 1 s", e);
    }
  }

  /** Raises, changes or clears the alert from the lifecycle's state at {@code now}. */
  synchronized void judge(Instant now) {
    KafkaStreams.State state = streams.state();
    if (AlertsStreams.running(state)) {
      stoppedSince = null;
    } else if (stoppedSince == null) {
      stoppedSince = now;
    }
    ThreadFailures failures = streams.lifecycleFailures();
    String cause;
    if (stoppedSince != null && Duration.between(stoppedSince, now).compareTo(grace) >= 0) {
      cause = STOPPED;
    } else if (failures.failing(now)) {
      cause = FAILING;
    } else {
      cause = null;
    }
    if (Objects.equals(cause, alarmed)) {
      return;
    }
    alarmed = cause;
    if (cause == null) {
      view.clearSystemAlert(COMPONENT);
    } else if (cause.equals(STOPPED)) {
      view.raiseSystemAlert(COMPONENT, cause, null, stoppedNote(state, stoppedSince));
    } else {
      view.raiseSystemAlert(COMPONENT, cause, null, failingNote(failures, now));
    }
  }

  static String stoppedNote(KafkaStreams.State state, Instant since) {
    return "the alert lifecycle of this alerts instance has not been running since "
        + since.truncatedTo(ChronoUnit.SECONDS)
        + " (Kafka Streams state "
        + state
        + "): alerts of the patients it holds may not be raised or escalated until this clears;"
        + " watch them by the ward's fallback procedure. A lifecycle in ERROR runs again only"
        + " after the instance restarts.";
  }

  static String failingNote(ThreadFailures failures, Instant now) {
    return "the alert lifecycle of this alerts instance keeps failing ("
        + failures.recent(now)
        + " stream threads failed and were replaced in the last "
        + failures.window().toString().substring(2).toLowerCase(java.util.Locale.ROOT)
        + "): alerts of the patients it holds may not be raised or escalated until this clears;"
        + " watch them by the ward's fallback procedure.";
  }

  @PreDestroy
  void close() {
    ticks.shutdownNow();
  }
}
