package io.vigil.alerts.health;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.view.SystemAlarm;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells nurses when patients stop being scored. Reads the scoring instances' reports on {@code
 * services.status} ({@link ScoringCoverage}); when some partitions of the readings have been scored
 * by no processing instance for longer than {@link AlertsConfig#scoringGrace()} (every instance
 * killed, stopped or silent, or its stream threads failing again and again), every nurse sees a
 * TECHNICAL alert, SCORING_STOPPED, saying which share of patients gets no risk score and so no
 * NEWS2 or LSTM alert; it clears when every partition is scored again. Every alerts instance reads
 * all reports, so every instance shows the alert.
 *
 * <p>The reader runs under a {@link Supervisor}: when it fails it restarts with backoff, shows DOWN
 * in health and metrics, and after {@value #ALARM_AFTER} failures in a row nurses see a TECHNICAL
 * alert that this watch itself has stopped. A report it cannot decode is skipped and counted.
 */
@Context
public final class ScoringWatch {
  /** Component name in health and metrics. */
  public static final String COMPONENT = "scoring-watch";

  /** Cause of the TECHNICAL alert when patients are not being scored. */
  public static final String CAUSE = "SCORING_STOPPED";

  static final int ALARM_AFTER = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ScoringWatch.class);

  private final ScoringCoverage coverage;
  private final AlertView view;
  private final Duration grace;
  private final Duration lookback;
  private final TopicReader reader;
  private final Supervisor supervisor;
  private volatile ScoringCoverage.Verdict last = new ScoringCoverage.Verdict(0, 0, List.of());
  private volatile long undecodable;
  private Instant incompleteSince;
  private int alarmedUnscored;

  public ScoringWatch(AlertsConfig config, AlertMetrics metrics, AlertView view) {
    this.view = view;
    this.grace = config.scoringWatch().grace();
    this.lookback = config.scoringWatch().lookback();
    this.coverage = new ScoringCoverage(config.scoringWatch().application(), lookback);
    this.reader =
        new TopicReader(
            config,
            "vigil-alerts-scoring-watch",
            List.of(
                new TopicReader.Source(Topics.SERVICES_STATUS.name(), TopicReader.From.LOOKBACK)),
            lookback,
            new TopicReader.Records() {
              @Override
              public void take(ConsumerRecord<byte[], byte[]> r, long now) {
                ScoringWatch.this.take(r);
              }

              @Override
              public void polled(long now) {
                judge(Instant.ofEpochMilli(now));
              }
            });
    metrics.scoringCoverage(() -> last.expected(), () -> last.unscored());
    this.supervisor =
        reader
            .supervisor(
                COMPONENT,
                metrics,
                ALARM_AFTER,
                new SystemAlarm(
                    view,
                    "SCORING_WATCH_FAILING",
                    null,
                    (failures, lastError) ->
                        "the service cannot read scoring's status reports ("
                            + failures
                            + " failures, last "
                            + lastError
                            + "): if scoring stops, no alert will say so until this clears"))
            .start();
  }

  private void take(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return;
    }
    ServiceStatus report;
    try {
      report = Topics.SERVICES_STATUS.valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      undecodable++;
      LOG.warn("skipping a status report that cannot be decoded: {}", e.getClass().getSimpleName());
      return;
    }
    coverage.apply(report);
  }

  /** Raises, updates or clears the alert from the coverage at {@code now}. */
  void judge(Instant now) {
    ScoringCoverage.Verdict v = coverage.at(now);
    last = v;
    if (v.complete()) {
      incompleteSince = null;
      if (alarmedUnscored > 0) {
        alarmedUnscored = 0;
        LOG.info("every partition of the readings is scored again");
        view.clearSystemAlert(CAUSE);
      }
      return;
    }
    if (incompleteSince == null) {
      incompleteSince = now;
      LOG.warn(
          "{} of {} partitions of the readings are scored by no instance: {}",
          v.unscored(),
          v.expected(),
          v.problems());
    }
    if (Duration.between(incompleteSince, now).compareTo(grace) >= 0
        && alarmedUnscored != v.unscored()) {
      alarmedUnscored = v.unscored();
      view.raiseSystemAlert(CAUSE, CAUSE, null, note(v, incompleteSince));
    }
  }

  static String note(ScoringCoverage.Verdict v, Instant since) {
    long share = Math.round(100.0 * v.unscored() / v.expected());
    String who =
        v.problems().isEmpty() ? "no scoring instance is running" : String.join("; ", v.problems());
    return "risk scoring has stopped for about "
        + share
        + " % of patients ("
        + v.unscored()
        + " of "
        + v.expected()
        + " partitions of readings scored by no instance since "
        + since.truncatedTo(ChronoUnit.SECONDS)
        + "): they get no NEWS2 or LSTM score and no risk alert until this clears; watch them by"
        + " the ward's fallback procedure. Scoring: "
        + who;
  }

  /** The reader, for health. */
  public Supervisor reader() {
    return supervisor;
  }

  /** The coverage as last judged. */
  public ScoringCoverage.Verdict verdict() {
    return last;
  }

  /** Reports skipped because they could not be decoded. */
  public long undecodable() {
    return undecodable;
  }

  @PreDestroy
  void close() throws InterruptedException {
    reader.stopUnder(supervisor);
  }
}
