package io.vigil.alerts.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vigil.alerts.metrics.AlertMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An alarm path that keeps failing is restarted with doubling backoff, shows DOWN meanwhile, raises
 * its alarm once after the configured failures, and clears it when it runs again.
 */
class SupervisorTest {
  private static String scrape(AlertMetrics metrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldRestartWithBackoffRaiseTheAlarmAndClearItWhenRunningAgain() throws Exception {
    AlertMetrics metrics = new AlertMetrics();
    List<String> alarms = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    Supervisor.Body body =
        beat -> {
          if (runs.incrementAndGet() <= 4) {
            throw new IllegalStateException("broker hiccup " + runs.get());
          }
          while (beat.running()) {
            beat.ok();
            Thread.sleep(20);
          }
        };
    Supervisor s =
        new Supervisor(
            "alert-view",
            body,
            metrics,
            Duration.ofMillis(50),
            Duration.ofMillis(400),
            3,
            new Supervisor.Alarm() {
              @Override
              public void raise(String component, int failures, String lastError) {
                alarms.add("raise " + component + " " + failures + " " + lastError);
              }

              @Override
              public void clear(String component) {
                alarms.add("clear " + component);
              }
            });
    assertEquals(Duration.ofMillis(50), s.backoff(1));
    assertEquals(Duration.ofMillis(200), s.backoff(3));
    assertEquals(Duration.ofMillis(400), s.backoff(10), "capped");
    long started = System.nanoTime();
    s.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.state() == Supervisor.State.RUNNING);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs >= 50 + 100 + 200 + 400, "backed off 50+100+200+400 ms, took " + tookMs);
    assertEquals(4, s.restarts());
    assertEquals(0, s.failures(), "running again");
    assertEquals("IllegalStateException", s.lastError(), "the class, never the message");
    assertEquals(List.of("raise alert-view 3 IllegalStateException", "clear alert-view"), alarms);
    String exposition = scrape(metrics);
    assertTrue(
        exposition.contains("vigil_alerts_component_restarts_total{component=\"alert-view\"} 4.0"),
        exposition);
    assertTrue(
        exposition.contains("vigil_alerts_component_up{component=\"alert-view\"} 1.0"), exposition);
    s.stop(() -> {}, Duration.ofSeconds(2));
    assertEquals(Supervisor.State.STOPPED, s.state());
    assertTrue(scrape(metrics).contains("vigil_alerts_component_up{component=\"alert-view\"} 0.0"));
  }

  @Test
  void shouldReportDownWhileFailing() throws Exception {
    AlertMetrics metrics = new AlertMetrics();
    Supervisor s =
        new Supervisor(
                "webhooks:clinic-a/ward-1",
                beat -> {
                  throw new java.io.IOException("endpoint gone");
                },
                metrics,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                3,
                new Supervisor.Alarm() {
                  @Override
                  public void raise(String component, int failures, String lastError) {}

                  @Override
                  public void clear(String component) {}
                })
            .start();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.state() == Supervisor.State.RESTARTING);
    String exposition = scrape(metrics);
    assertTrue(
        exposition.contains("vigil_alerts_component_up{component=\"webhooks\"} 0.0"), exposition);
    assertTrue(!exposition.contains("clinic-a"), "no tenant in labels");
    s.stop(() -> {}, Duration.ofSeconds(2));
  }
}
