package io.vigil.alerts.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.vigil.alerts.budget.TeamThresholds;
import io.vigil.alerts.delivery.WebhookDispatcher;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.ward.WardView;
import io.vigil.kit.streams.ThreadFailures;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Readiness of the paths an alarm travels: the lifecycle streams (RUNNING or REBALANCING; its
 * stream threads replaced within the watch's window are shown), the alert view (its reader running
 * and caught up with the audit trail), every webhook endpoint's delivery loop, the ward overview's
 * reader ({@link WardView}: nurses find their patients there) and the watch over scoring's reports
 * ({@link ScoringWatch}; whether scoring covers every partition is a detail, not this service's
 * readiness). DOWN while any of them cannot run, so {@code /health} and {@code /health/readiness}
 * answer 503. Details name states, failure counts and exception classes; never a patient, never a
 * message.
 */
@Singleton
@Readiness
public final class AlarmPathsHealth implements HealthIndicator {
  private final AlertsStreams streams;
  private final AlertView view;
  private final WebhookDispatcher webhooks;
  private final ScoringWatch scoring;
  private final TeamThresholds thresholds;
  private final WardView ward;

  public AlarmPathsHealth(
      AlertsStreams streams,
      AlertView view,
      WebhookDispatcher webhooks,
      ScoringWatch scoring,
      WardView ward,
      TeamThresholds thresholds) {
    this.ward = ward;
    this.thresholds = thresholds;
    this.streams = streams;
    this.view = view;
    this.webhooks = webhooks;
    this.scoring = scoring;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Map<String, Object> details = new LinkedHashMap<>();
    KafkaStreams.State state = streams.state();
    boolean lifecycleUp = AlertsStreams.running(state);
    // Replaced threads are shown, not judged: the lifecycle watch tells nurses when they keep
    // failing, and vigil_alerts_stream_threads_replaced_total pages.
    details.put("lifecycle", client(state, streams.lifecycleFailures()));
    // Shown, not judged: the nurse's charts run in a Streams client of their own (its gauge is
    // vigil_alerts_vitals_history_up, its rule a ticket, not a page).
    details.put("vitalsHistory", client(streams.historyState(), streams.historyFailures()));
    Supervisor reader = view.reader();
    boolean viewUp = view.caughtUp() && reader.state() == Supervisor.State.RUNNING;
    Map<String, Object> viewDetails = loop(reader);
    viewDetails.put("caughtUp", view.caughtUp());
    details.put(AlertView.COMPONENT, viewDetails);
    boolean hooksUp = true;
    Map<String, Object> hooks = new LinkedHashMap<>();
    for (Supervisor s : webhooks.loops()) {
      hooks.put(s.name().substring(s.name().indexOf(':') + 1), loop(s));
      hooksUp &= s.state() == Supervisor.State.RUNNING;
    }
    details.put(WebhookDispatcher.COMPONENT, hooks);
    Map<String, Object> watch = loop(scoring.reader());
    ScoringCoverage.Verdict coverage = scoring.verdict();
    watch.put("scoringPartitionsExpected", coverage.expected());
    watch.put("scoringPartitionsUnscored", coverage.unscored());
    details.put(ScoringWatch.COMPONENT, watch);
    boolean watchUp = scoring.reader().state() == Supervisor.State.RUNNING;
    Map<String, Object> wardDetails = loop(ward.reader());
    wardDetails.put("caughtUp", ward.caughtUp());
    wardDetails.put("patients", ward.size());
    details.put(WardView.COMPONENT, wardDetails);
    boolean wardUp = ward.reader().state() == Supervisor.State.RUNNING;
    // Shown, not judged: the header's threshold display; the lifecycle judges with its own
    // global store of the thresholds (the lifecycle state above).
    Map<String, Object> thresholdDetails = loop(thresholds.reader());
    thresholdDetails.put("caughtUp", thresholds.caughtUp());
    details.put(TeamThresholds.COMPONENT, thresholdDetails);
    boolean up = lifecycleUp && viewUp && hooksUp && watchUp && wardUp;
    return Mono.just(
        HealthResult.builder("alarmPaths", up ? HealthStatus.UP : HealthStatus.DOWN)
            .details(details)
            .build());
  }

  private static Map<String, Object> client(KafkaStreams.State state, ThreadFailures failures) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state.name());
    m.put("threadsReplacedRecently", failures.recent(Instant.now()));
    m.put("threadsReplacedWindow", failures.window().toString());
    return m;
  }

  private static Map<String, Object> loop(Supervisor s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.state().name());
    m.put("failures", s.failures());
    m.put("restarts", s.restarts());
    if (s.lastError() != null) {
      m.put("lastError", s.lastError());
      m.put("lastFailure", s.lastFailure().toString());
    }
    return m;
  }
}
