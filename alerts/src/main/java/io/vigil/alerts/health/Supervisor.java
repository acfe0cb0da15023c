package io.vigil.alerts.health;

import io.vigil.alerts.metrics.AlertMetrics;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one alarm path (the alert view's reader, a webhook endpoint's delivery loop) running: its
 * body runs on a daemon thread, and whenever it ends with an exception it is started again after a
 * backoff that doubles from {@code initialBackoff} up to {@code maxBackoff}. The body reports
 * progress with {@link Beat#ok()}; a body that made progress since its last failure starts again
 * from the initial backoff. Every restart is counted ({@code
 * vigil_alerts_component_restarts_total}) and the component is reported DOWN ({@code
 * vigil_alerts_component_up} 0, readiness DOWN) from a failure until it makes progress again. After
 * {@code alarmAfter} consecutive failures the {@link Alarm} is raised, once, and cleared when the
 * body makes progress again.
 */
public final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  /** What a supervised path reports. */
  public enum State {
    STARTING,
    RUNNING,
    RESTARTING,
    STOPPED
  }

  /** The loop being supervised. It runs until {@link Beat#running()} turns false. */
  @FunctionalInterface
  public interface Body {
    void run(Beat beat) throws Exception;
  }

  /** What a path does when it cannot recover, and when it has. */
  public interface Alarm {
    void raise(String component, int failures, String lastError);

    void clear(String component);
  }

  /** Handed to the body: progress reports and the stop flag. */
  public final class Beat {
    /** The body made progress (a poll returned, a delivery ended): it is running. */
    public void ok() {
      if (state != State.RUNNING) {
        state = State.RUNNING;
        metrics.componentUp(name, true);
      }
      if (failures > 0) {
        LOG.info("{} running again after {} failures", name, failures);
        failures = 0;
        if (alarmed) {
          alarmed = false;
          alarm.clear(name);
        }
      }
    }

    public boolean running() {
      return running;
    }
  }

  private final String name;
  private final Body body;
  private final AlertMetrics metrics;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int alarmAfter;
  private final Alarm alarm;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile State state = State.STARTING;
  private volatile int failures;
  private volatile long restarts;
  private volatile String lastError;
  private volatile Instant lastFailure;
  private volatile boolean alarmed;

  public Supervisor(
      String name,
      Body body,
      AlertMetrics metrics,
      Duration initialBackoff,
      Duration maxBackoff,
      int alarmAfter,
      Alarm alarm) {
    this.name = name;
    this.body = body;
    this.metrics = metrics;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.alarmAfter = alarmAfter;
    this.alarm = alarm;
    metrics.componentUp(name, false);
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
  }

  /** Starts the body's thread. */
  public Supervisor start() {
    thread.start();
    return this;
  }

  private void loop() {
    Beat beat = new Beat();
    while (running) {
      try {
        body.run(beat);
        if (running) {
          throw new IllegalStateException("ended without being stopped");
        }
      } catch (Throwable e) {
        if (!running) {
          break;
        }
        failures++;
        restarts++;
        lastError = e.getClass().getSimpleName();
        lastFailure = Instant.now();
        state = State.RESTARTING;
        metrics.componentUp(name, false);
        metrics.componentRestart(name);
        Duration wait = backoff(failures);
        LOG.error("{} failed ({} in a row); restarting in {}", name, failures, wait, e);
        if (failures >= alarmAfter && !alarmed) {
          alarmed = true;
          try {
            alarm.raise(name, failures, lastError);
          } catch (RuntimeException alarmFailed) {
            LOG.error("{}: raising the technical alert failed", name, alarmFailed);
          }
        }
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
          if (!running) {
            break;
          }
        }
      }
    }
    state = State.STOPPED;
  }

  /** The wait before restart {@code n} (1-based). */
  Duration backoff(int n) {
    long ms = initialBackoff.toMillis() << Math.min(n - 1, 20);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }

  public String name() {
    return name;
  }

  public State state() {
    return state;
  }

  /** Failures since the body last made progress. */
  public int failures() {
    return failures;
  }

  public long restarts() {
    return restarts;
  }

  /** The exception class of the last failure, if any (never a message: it may name a patient). */
  public String lastError() {
    return lastError;
  }

  public Instant lastFailure() {
    return lastFailure;
  }

  /** Stops the loop: {@code wake} interrupts a blocking call of the body (e.g. a poll). */
  public void stop(Runnable wake, Duration wait) throws InterruptedException {
    running = false;
    wake.run();
    thread.join(Math.max(1, wait.toMillis() / 2));
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(Math.max(1, wait.toMillis() / 2));
    }
    metrics.componentUp(name, false);
  }
}
