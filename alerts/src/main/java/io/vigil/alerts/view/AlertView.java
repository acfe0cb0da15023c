package io.vigil.alerts.view;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nurse-facing view of alerts, materialised by reading alerts.events (read_committed, so only
 * transitions the lifecycle committed) from the beginning. Every instance builds the whole view, so
 * any instance can answer any nurse and push live updates.
 */
@Context
public final class AlertView {
  private static final Logger LOG = LoggerFactory.getLogger(AlertView.class);
  private static final String[] TIER_NAMES = {"care team", "charge nurse", "rapid response"};

  /** Resolved alerts kept in memory for history and the UI; older ones are in alerts.events. */
  private static final int KEEP_RESOLVED = 2000;

  private final Map<String, Entry> alerts = new HashMap<>();
  private final Deque<String> resolvedOrder = new ArrayDeque<>();
  private final List<Consumer<AlertSummary>> listeners = new CopyOnWriteArrayList<>();
  private final AlertMetrics metrics;
  private final KafkaConsumer<PatientKey, AlertEvent> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean caughtUp;

  public AlertView(AlertsConfig config, AlertMetrics metrics) {
    this.metrics = metrics;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-alerts-view-" + UUID.randomUUID());
    consumer =
        new KafkaConsumer<>(
            p,
            Topics.ALERTS_EVENTS.keySerde().deserializer(),
            Topics.ALERTS_EVENTS.valueSerde().deserializer());
    metrics.openAlerts(this::countOpenByPriority);
    thread = new Thread(this::run, "alerts-view");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      consumer
          .partitionsFor(Topics.ALERTS_EVENTS.name(), Duration.ofSeconds(60))
          .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (running) {
        for (ConsumerRecord<PatientKey, AlertEvent> r : consumer.poll(Duration.ofMillis(250))) {
          if (r.key() != null && r.value() != null) {
            apply(PatientKeys.format(r.key()), r.value());
          }
        }
        if (!caughtUp
            && end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp = true;
          LOG.info("alert view caught up: {} alerts known", size());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("alert view stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** True once the view has read everything that was on the topic when the service started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  void apply(String patient, AlertEvent e) {
    AlertSummary summary;
    Entry entry;
    synchronized (this) {
      entry = alerts.computeIfAbsent(e.getAlertId(), id -> new Entry(id, patient));
      if (entry.seen.contains(e.getEventId())) {
        return;
      }
      entry.apply(e);
      if ("RESOLVED".equals(entry.status)) {
        resolvedOrder.addLast(entry.alertId);
        while (resolvedOrder.size() > KEEP_RESOLVED) {
          alerts.remove(resolvedOrder.removeFirst());
        }
      }
      summary = entry.summary();
    }
    if (caughtUp) {
      metrics.onEvent(e, entry.notifiedAt);
    }
    for (Consumer<AlertSummary> l : listeners) {
      try {
        l.accept(summary);
      } catch (RuntimeException ex) {
        LOG.debug("listener failed", ex);
      }
    }
  }

  public synchronized Optional<AlertSummary> find(String alertId) {
    return Optional.ofNullable(alerts.get(alertId)).map(Entry::summary);
  }

  public synchronized List<AlertHistoryEntry> history(String alertId) {
    Entry e = alerts.get(alertId);
    return e == null ? List.of() : List.copyOf(e.history);
  }

  /** Open (raised or acknowledged) alerts of the given teams, by priority, then oldest first. */
  public synchronized List<AlertSummary> openFor(Collection<String> teams) {
    return alerts.values().stream()
        .map(Entry::summary)
        .filter(a -> a.open() && teams.contains(a.careTeam()))
        .sorted(
            Comparator.comparingInt(AlertSummary::priorityRank)
                .thenComparing(AlertSummary::raisedAt))
        .toList();
  }

  public synchronized int size() {
    return alerts.size();
  }

  private synchronized Map<String, Long> countOpenByPriority() {
    Map<String, Long> counts = new HashMap<>();
    for (Entry e : alerts.values()) {
      if (!"RESOLVED".equals(e.status)) {
        counts.merge(e.priority, 1L, Long::sum);
      }
    }
    return counts;
  }

  public Runnable subscribe(Consumer<AlertSummary> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @PreDestroy
  void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }

  /** Mutable state of one alert, guarded by the view's lock. */
  private static final class Entry {
    final String alertId;
    final String patient;
    final java.util.Set<String> seen = new java.util.HashSet<>();
    final List<AlertHistoryEntry> history = new ArrayList<>();
    String cause;
    String category;
    String priority;
    String careTeam;
    int tier;
    String status = "RAISED";
    Instant raisedAt;
    Instant notifiedAt;
    String acknowledgedBy;
    Instant acknowledgedAt;
    String resolvedBy;
    Instant resolvedAt;
    Double lstmRisk;
    Integer news2Total;
    Instant windowEnd;
    String lastNote;
    Instant updatedAt;
    Integer revision;
    boolean lateData;
    Instant lateWindowEnd;
    Integer lateRevision;
    Integer lateReadings;

    Entry(String alertId, String patient) {
      this.alertId = alertId;
      this.patient = patient;
    }

    void apply(AlertEvent e) {
      seen.add(e.getEventId());
      cause = e.getCause().name();
      category = e.getCategory().name();
      priority = e.getPriority().name();
      careTeam = e.getCareTeam();
      tier = e.getTier();
      lstmRisk = e.getLstmRisk();
      news2Total = e.getNews2Total();
      windowEnd = e.getWindowEnd();
      revision = e.getRevision();
      if (Boolean.TRUE.equals(e.getLateData())
          && (lateWindowEnd == null || !e.getWindowEnd().isBefore(lateWindowEnd))) {
        lateData = true;
        lateWindowEnd = e.getWindowEnd();
        lateRevision = e.getRevision();
        lateReadings = e.getLateReadings();
      }
      updatedAt = e.getTime();
      if (e.getNote() != null) {
        lastNote = e.getNote();
      }
      switch (e.getType()) {
        case RAISED -> raisedAt = e.getTime();
        case NOTIFIED -> {
          if (notifiedAt == null) {
            notifiedAt = e.getTime();
          }
        }
        case ACKNOWLEDGED -> {
          status = "ACKNOWLEDGED";
          acknowledgedBy = e.getActor();
          acknowledgedAt = e.getTime();
        }
        case ESCALATED -> {
          if (!"ACKNOWLEDGED".equals(status)) {
            status = "ESCALATED";
          }
        }
        case RESOLVED -> {
          status = "RESOLVED";
          resolvedBy = e.getActor();
          resolvedAt = e.getTime();
        }
        default -> {
          // UPDATED: the evidence fields above carry the change.
        }
      }
      if (raisedAt == null) {
        raisedAt = e.getTime();
      }
      history.add(
          new AlertHistoryEntry(
              e.getEventId(),
              e.getType().name(),
              e.getActor(),
              e.getTime(),
              e.getTier(),
              priority,
              e.getLstmRisk(),
              e.getNews2Total(),
              e.getWindowEnd(),
              e.getRevision(),
              e.getLateData(),
              e.getNote()));
    }

    AlertSummary summary() {
      return new AlertSummary(
          alertId,
          patient,
          cause,
          category,
          priority,
          careTeam,
          tier,
          TIER_NAMES[Math.min(tier, TIER_NAMES.length - 1)],
          status,
          raisedAt,
          notifiedAt,
          acknowledgedBy,
          acknowledgedAt,
          resolvedBy,
          resolvedAt,
          lstmRisk,
          news2Total,
          windowEnd,
          lastNote,
          updatedAt,
          revision,
          lateData,
          lateWindowEnd,
          lateRevision,
          lateReadings);
    }
  }
}
