package io.vigil.alerts.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertPriority;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics. Labels are small fixed sets (priority, cause, tier, outcome):
 * never a patient or an alert id.
 */
@Singleton
public final class AlertMetrics {
  /** Outcomes of a sign-in attempt, each exported from the start (0 until it happens). */
  public static final List<String> SIGN_IN_OUTCOMES =
      List.of("success", "wrong_credentials", "throttled");

  /** Kinds of live-stream events, each exported from the start. */
  public static final List<String> LIVE_EVENTS = List.of("alert", "patient");

  /** Why the service ended a live stream: the client fell too far behind. */
  public static final String LIVE_TOO_FAR_BEHIND = "too_far_behind";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter raised;
  private final Counter escalations;
  private final Histogram timeToAck;
  private final Counter deliveries;
  private final Counter signIns;
  private final Counter restarts;
  private final Counter deadLetters;
  private final Counter outcomes;
  private final Counter liveSent;
  private final Counter liveConflated;
  private final Counter liveEnded;
  private final Counter threadsReplaced;
  private final Map<String, Boolean> componentsUp = new ConcurrentHashMap<>();

  public AlertMetrics() {
    JvmMetrics.builder().register(registry);
    raised =
        Counter.builder()
            .name("vigil_alerts_raised_total")
            .help("Alerts raised, by priority, cause and category")
            .labelNames("priority", "cause", "category")
            .register(registry);
    escalations =
        Counter.builder()
            .name("vigil_alerts_escalations_total")
            .help("Escalations of unacknowledged alerts, by the tier escalated to")
            .labelNames("tier")
            .register(registry);
    timeToAck =
        Histogram.builder()
            .name("vigil_alerts_time_to_acknowledge_seconds")
            .help("From first notification of the care team to acknowledgement")
            .labelNames("priority")
            .classicUpperBounds(15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
            .register(registry);
    deliveries =
        Counter.builder()
            .name("vigil_alerts_webhook_deliveries_total")
            .help("Webhook delivery attempts by outcome: delivered, failed_attempt, dead_lettered")
            .labelNames("outcome")
            .register(registry);
    signIns =
        Counter.builder()
            .name("vigil_alerts_sign_ins_total")
            .help(
                "Sign-in attempts at the nurse UI by outcome: success, wrong_credentials, throttled")
            .labelNames("outcome")
            .register(registry);
    for (String outcome : SIGN_IN_OUTCOMES) {
      signIns.initLabelValues(outcome);
    }
    restarts =
        Counter.builder()
            .name("vigil_alerts_component_restarts_total")
            .help("Restarts of an alarm path after it failed: alert-view, webhooks")
            .labelNames("component")
            .register(registry);
    deadLetters =
        Counter.builder()
            .name("vigil_alerts_dead_letters_total")
            .help(
                "Records set aside to alerts.dead-letter because they could not be decoded or"
                    + " processed, by the topic they came from and the component")
            .labelNames("topic", "component")
            .register(registry);
    outcomes =
        Counter.builder()
            .name("vigil_alerts_outcomes_total")
            .help(
                "Alerts a nurse resolved, by cause and the outcome she gave: escalated_to_clinician,"
                    + " false_alarm_artefact, false_alarm_expected, other, none (no outcome given)")
            .labelNames("cause", "outcome")
            .register(registry);
    liveSent =
        Counter.builder()
            .name("vigil_alerts_live_events_sent_total")
            .help("Events handed to nurses' live streams (SSE), by event: alert, patient")
            .labelNames("event")
            .register(registry);
    liveConflated =
        Counter.builder()
            .name("vigil_alerts_live_events_conflated_total")
            .help(
                "Events of a live stream replaced before they were sent by a newer state of the"
                    + " same alert or patient (the client was behind), by event: alert, patient")
            .labelNames("event")
            .register(registry);
    for (String event : LIVE_EVENTS) {
      liveSent.initLabelValues(event);
      liveConflated.initLabelValues(event);
    }
    liveEnded =
        Counter.builder()
            .name("vigil_alerts_live_streams_ended_total")
            .help(
                "Live streams the service ended, by reason: too_far_behind (more distinct alerts"
                    + " and patients waiting than vigil.alerts.live.max-pending)")
            .labelNames("reason")
            .register(registry);
    liveEnded.initLabelValues(LIVE_TOO_FAR_BEHIND);
    threadsReplaced =
        Counter.builder()
            .name("vigil_alerts_stream_threads_replaced_total")
            .help(
                "Stream threads of a Kafka Streams client that failed with an uncaught exception"
                    + " and were replaced, by client: lifecycle (an alarm path), vitals-history")
            .labelNames("client")
            .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_alerts_component_up")
        .help(
            "1 while every instance of an alarm path runs (alert-view, ward-view, scoring-watch,"
                + " team-thresholds, webhooks: one per endpoint), 0 while one of them is failing"
                + " or restarting")
        .labelNames("component")
        .callback(
            cb -> {
              Map<String, Boolean> byKind = new TreeMap<>();
              componentsUp.forEach((name, up) -> byKind.merge(kind(name), up, Boolean::logicalAnd));
              byKind.forEach((kind, up) -> cb.call(up ? 1 : 0, kind));
            })
        .register(registry);
  }

  /** The metric label of a component: its kind, never the tenant or team it serves. */
  static String kind(String component) {
    int colon = component.indexOf(':');
    return colon < 0 ? component : component.substring(0, colon);
  }

  /** Whether {@code component} (kind, then ':' and what it serves) is running. */
  public void componentUp(String component, boolean up) {
    componentsUp.put(component, up);
  }

  public void componentRestart(String component) {
    restarts.labelValues(kind(component)).inc();
  }

  /** A record from {@code topic} that {@code component} set aside to the dead-letter topic. */
  public void deadLettered(String topic, String component) {
    deadLetters.labelValues(topic, kind(component)).inc();
  }

  public void signIn(String outcome) {
    signIns.labelValues(outcome).inc();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Registers the open-alerts gauge over the view's counts by priority. */
  public void openAlerts(Supplier<Map<String, Long>> countsByPriority) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_open")
        .help("Alerts raised and not yet resolved (acknowledged ones included), by priority")
        .labelNames("priority")
        .callback(
            cb -> {
              Map<String, Long> counts = countsByPriority.get();
              for (AlertPriority p : AlertPriority.values()) {
                cb.call(counts.getOrDefault(p.name(), 0L), p.name());
              }
            })
        .register(registry);
  }

  /**
   * Registers the gauges of the partitions of the readings scoring should cover and of those no
   * processing scoring instance covers (0 while every patient is scored).
   */
  public void scoringCoverage(IntSupplier expected, IntSupplier unscored) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_scoring_partitions_expected")
        .help("Partitions of vitals.observations the scoring instances report, as last judged")
        .callback(cb -> cb.call(expected.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_alerts_scoring_partitions_unscored")
        .help(
            "Partitions of vitals.observations no processing scoring instance reports scoring;"
                + " their patients get no risk score")
        .callback(cb -> cb.call(unscored.getAsInt()))
        .register(registry);
  }

  /** A care team's LSTM threshold in use and how it was chosen (model, fixed, budget). */
  public record Threshold(String source, double value) {}

  /**
   * Registers the gauge of the LSTM threshold each configured care team ({@code tenant/team}) uses:
   * teams with an alert budget (source {@code budget}, or {@code model} during warm-up) and teams
   * with a fixed threshold. One series per configured team: a small, fixed label set.
   */
  public void lstmThresholds(Supplier<Map<String, Threshold>> byTeam) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_lstm_threshold")
        .help(
            "LSTM risk threshold a care team's alerts are judged against (calibrated probability),"
                + " by tenant, team and how it was chosen")
        .labelNames("tenant", "team", "source")
        .callback(
            cb ->
                byTeam
                    .get()
                    .forEach(
                        (team, t) -> {
                          int slash = team.indexOf('/');
                          cb.call(
                              t.value(),
                              team.substring(0, slash),
                              team.substring(slash + 1),
                              t.source().toLowerCase(Locale.ROOT));
                        }))
        .register(registry);
  }

  /**
   * Exports {@code client}'s replaced stream threads (0 from the start) and returns what counts one
   * more.
   */
  public Runnable streamThreadsReplaced(String client) {
    threadsReplaced.initLabelValues(client);
    return () -> threadsReplaced.labelValues(client).inc();
  }

  /**
   * Registers the gauge of the lifecycle's Kafka Streams client: the alarm path that raises,
   * escalates and resolves alerts, run by Kafka Streams and not by a {@code Supervisor}, so a gauge
   * of its own beside {@code vigil_alerts_component_up}.
   */
  public void lifecycleUp(BooleanSupplier running) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_lifecycle_up")
        .help(
            "1 while the alert lifecycle's Kafka Streams client (an alarm path: it raises,"
                + " escalates and resolves alerts) is running or rebalancing, 0 while it is"
                + " starting, stopped or failed")
        .callback(cb -> cb.call(running.getAsBoolean() ? 1 : 0))
        .register(registry);
  }

  /**
   * Registers the gauge of the vitals history's Kafka Streams client: the nurse's 72 h charts, not
   * an alarm path, so a gauge of its own and not a {@code vigil_alerts_component_up} component
   * (whose 0 pages as an alarm path down).
   */
  public void vitalsHistoryUp(BooleanSupplier running) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_vitals_history_up")
        .help(
            "1 while the vitals history's Kafka Streams client (the nurse's 72 h charts, not an"
                + " alarm path) is running or rebalancing, 0 while it is starting, stopped or"
                + " failed")
        .callback(cb -> cb.call(running.getAsBoolean() ? 1 : 0))
        .register(registry);
  }

  /** Registers the gauge of the patients the ward overview holds (every tenant, no labels). */
  public void wardPatients(IntSupplier patients) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_ward_patients")
        .help("Patients the ward overview holds in memory (readings, scores or a care team)")
        .callback(cb -> cb.call(patients.getAsInt()))
        .register(registry);
  }

  /**
   * Registers the gauges of the open live streams and of the events they have waiting to be sent:
   * over all streams, and in the one furthest behind (compare with {@code
   * vigil.alerts.live.max-pending}).
   */
  public void liveStreams(IntSupplier open, IntSupplier pending, IntSupplier largestPending) {
    GaugeWithCallback.builder()
        .name("vigil_alerts_live_streams_open")
        .help("Live streams (SSE) open on this instance")
        .callback(cb -> cb.call(open.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_alerts_live_pending_events")
        .help(
            "Events waiting to be sent on all open live streams (at most one per alert and patient"
                + " per stream)")
        .callback(cb -> cb.call(pending.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_alerts_live_pending_events_largest")
        .help("Events waiting to be sent on the open live stream furthest behind")
        .callback(cb -> cb.call(largestPending.getAsInt()))
        .register(registry);
  }

  /** One event of kind {@code event} ({@code alert}, {@code patient}) handed to a live stream. */
  public void liveSent(String event) {
    liveSent.labelValues(event).inc();
  }

  /** An unsent live event of kind {@code event} replaced by a newer state of the same thing. */
  public void liveConflated(String event) {
    liveConflated.labelValues(event).inc();
  }

  /** A live stream the service ended, and why. */
  public void liveStreamEnded(String reason) {
    liveEnded.labelValues(reason).inc();
  }

  /** Counts one alert transition as it happens live (not during the view's initial replay). */
  public void onEvent(AlertEvent e, Instant firstNotified) {
    switch (e.getType()) {
      case RAISED ->
          raised
              .labelValues(e.getPriority().name(), e.getCause().name(), e.getCategory().name())
              .inc();
      case ESCALATED -> escalations.labelValues(Integer.toString(e.getTier())).inc();
      case ACKNOWLEDGED -> {
        if (firstNotified != null) {
          Duration d = Duration.between(firstNotified, e.getTime());
          timeToAck.labelValues(e.getPriority().name()).observe(Math.max(0, d.toMillis()) / 1000.0);
        }
      }
      case RESOLVED -> {
        if (e.getOutcome() != null) {
          outcomes
              .labelValues(e.getCause().name(), e.getOutcome().name().toLowerCase(Locale.ROOT))
              .inc();
        } else if (!LifecycleConfig.SYSTEM_ACTOR.equals(e.getActor())) {
          outcomes.labelValues(e.getCause().name(), "none").inc();
        }
      }
      default -> {
        // Other transitions are visible on alerts.events; no metric of their own.
      }
    }
  }

  public void delivery(String outcome) {
    deliveries.labelValues(outcome).inc();
  }
}
