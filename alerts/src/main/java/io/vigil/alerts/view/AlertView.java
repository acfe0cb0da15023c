package io.vigil.alerts.view;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.deadletter.DeadLetters;
import io.vigil.alerts.health.Supervisor;
import io.vigil.alerts.health.TopicReader;
import io.vigil.alerts.lifecycle.LifecycleConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nurse-facing view of alerts, materialised by reading alerts.events (read_committed, so only
 * transitions the lifecycle committed) from the beginning. Every instance builds the whole view, so
 * any instance can answer any nurse and push live updates.
 *
 * <p>The reader runs under a {@link Supervisor}: when it fails (the broker unreachable, an
 * unexpected exception) it is restarted with backoff from where it was, reported DOWN in health and
 * metrics meanwhile, and after {@value #ALARM_AFTER} failures in a row every nurse sees a TECHNICAL
 * alert saying the list may be out of date, until it reads again. A record it cannot decode or
 * apply is skipped and counted; read live, it is also set aside to {@code alerts.dead-letter} with
 * its reason and origin (records met while catching up at start were live for an earlier run).
 *
 * <p>Memory stays bounded: a resolved alert is forgotten {@code vigil.alerts.patient-expiry} after
 * it was resolved (and only the newest 2000 resolved are kept), an alert resolved because its
 * patient's state expired at once; open alerts are kept. The nurse's list ({@link #listFor}) also
 * shows MEDIUM and LOW alerts that cleared by themselves, for {@code
 * vigil.alerts.list.self-cleared-for} after they cleared.
 */
@Context
public final class AlertView {
  private static final Logger LOG = LoggerFactory.getLogger(AlertView.class);
  private static final String[] TIER_NAMES = {"care team", "charge nurse", "rapid response"};

  /** Component name in health, metrics and dead letters. */
  public static final String COMPONENT = "alert-view";

  /** Consecutive failures of the reader after which nurses are told. */
  static final int ALARM_AFTER = 3;

  /** Resolved alerts kept in memory for history and the UI; older ones are in alerts.events. */
  private static final int KEEP_RESOLVED = 2000;

  /** How often the reader forgets resolved alerts older than the patient expiry. */
  private static final Duration FORGET_EVERY = Duration.ofMinutes(1);

  private final Map<String, Entry> alerts = new HashMap<>();
  private final Deque<String> resolvedOrder = new ArrayDeque<>();
  private final Map<String, SystemAlert> systemAlerts = new LinkedHashMap<>();
  private final Map<String, Map<String, Map<String, Integer>>> outcomes = new HashMap<>();
  private final List<Consumer<AlertSummary>> listeners = new CopyOnWriteArrayList<>();
  private final AlertMetrics metrics;
  private final DeadLetters deadLetters;
  private final Supervisor supervisor;
  private final TopicReader reader;
  private final Duration selfClearedListed;
  private final Duration expiry;
  private long forgottenAt;

  @jakarta.inject.Inject
  public AlertView(AlertsConfig config, AlertMetrics metrics, DeadLetters deadLetters) {
    this(
        config, metrics, deadLetters, config.list().selfClearedFor(), config.patientExpiry(), true);
  }

  /** A view that reads nothing by itself: tests {@link #apply} events to it. */
  AlertView(AlertsConfig config, Duration selfClearedListed, Duration expiry) {
    this(config, new AlertMetrics(), null, selfClearedListed, expiry, false);
  }

  private AlertView(
      AlertsConfig config,
      AlertMetrics metrics,
      DeadLetters deadLetters,
      Duration selfClearedListed,
      Duration expiry,
      boolean read) {
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.selfClearedListed = selfClearedListed;
    this.expiry = expiry;
    this.reader =
        new TopicReader(
            config,
            "vigil-alerts-view",
            List.of(
                new TopicReader.Source(Topics.ALERTS_EVENTS.name(), TopicReader.From.BEGINNING)),
            null,
            new TopicReader.Records() {
              @Override
              public void take(ConsumerRecord<byte[], byte[]> r, long now) {
                handle(r);
              }

              @Override
              public void polled(long now) {
                if (now - forgottenAt >= FORGET_EVERY.toMillis()) {
                  forgottenAt = now;
                  forget(Instant.ofEpochMilli(now));
                }
              }

              @Override
              public void caughtUp() {
                LOG.info("alert view caught up: {} alerts known", size());
              }
            });
    metrics.openAlerts(this::countOpenByPriority);
    this.supervisor =
        reader.supervisor(
            COMPONENT,
            metrics,
            ALARM_AFTER,
            new SystemAlarm(
                this,
                "ALERT_VIEW_FAILING",
                null,
                (failures, lastError) ->
                    "the alert list cannot read new alerts ("
                        + failures
                        + " failures, last "
                        + lastError
                        + "): it may be out of date; use the ward's fallback procedure"
                        + " until this clears"));
    if (read) {
      supervisor.start();
    }
  }

  /** Decodes and applies one record; one that cannot be is set aside, never retried forever. */
  private void handle(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null || r.value() == null) {
      return;
    }
    try {
      PatientKey key =
          Topics.ALERTS_EVENTS.keySerde().deserializer().deserialize(r.topic(), r.key());
      AlertEvent event =
          Topics.ALERTS_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
      apply(PatientKeys.format(key), event);
    } catch (RuntimeException e) {
      if (!reader.caughtUp()) {
        deadLetters.skipped(COMPONENT, r.topic(), r.partition(), r.offset(), e);
        return;
      }
      try {
        deadLetters.send(COMPONENT, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e);
      } catch (Exception sendFailed) {
        // Counted and logged; the reader does not stop on a record it cannot use.
        deadLetters.skipped(COMPONENT, r.topic(), r.partition(), r.offset(), e);
        LOG.error("could not write the dead letter", sendFailed);
      }
    }
  }

  /** The reader's supervisor: its state for health. */
  public Supervisor reader() {
    return supervisor;
  }

  /** True once the view has read everything that was on the topic when the service started. */
  public boolean caughtUp() {
    return reader.caughtUp();
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
      if (e.getType() == io.vigil.schemas.alerts.AlertEventType.RESOLVED
          && e.getOutcome() != null) {
        outcomes
            .computeIfAbsent(tenantOf(patient) + "/" + entry.careTeam, t -> new HashMap<>())
            .computeIfAbsent(entry.cause, c -> new HashMap<>())
            .merge(e.getOutcome().name(), 1, Integer::sum);
      }
      if ("RESOLVED".equals(entry.status)) {
        if (e.getNote() != null && e.getNote().startsWith(LifecycleConfig.EXPIRED_NOTE)) {
          // The lifecycle forgot the patient: so does the view (the trail keeps the events).
          alerts.remove(entry.alertId);
        } else {
          resolvedOrder.addLast(entry.alertId);
          while (resolvedOrder.size() > KEEP_RESOLVED) {
            alerts.remove(resolvedOrder.removeFirst());
          }
        }
      }
      summary = entry.summary(selfClearedListed);
    }
    if (reader.caughtUp()) {
      metrics.onEvent(e, entry.notifiedAt);
    }
    notifyListeners(summary);
  }

  private void notifyListeners(AlertSummary summary) {
    for (Consumer<AlertSummary> l : listeners) {
      try {
        l.accept(summary);
      } catch (RuntimeException ex) {
        LOG.debug("listener failed", ex);
      }
    }
  }

  public synchronized Optional<AlertSummary> find(String alertId) {
    return Optional.ofNullable(alerts.get(alertId)).map(e -> e.summary(selfClearedListed));
  }

  /**
   * Forgets resolved alerts resolved more than the patient expiry ({@code
   * vigil.alerts.patient-expiry}) before {@code now}; the reader calls it every minute. Their
   * events stay on alerts.events.
   *
   * @return how many alerts were forgotten
   */
  synchronized int forget(Instant now) {
    Instant before = now.minus(expiry);
    List<String> old = new ArrayList<>();
    for (Entry e : alerts.values()) {
      if ("RESOLVED".equals(e.status) && e.resolvedAt != null && e.resolvedAt.isBefore(before)) {
        old.add(e.alertId);
      }
    }
    old.forEach(alerts::remove);
    resolvedOrder.removeAll(old);
    return old.size();
  }

  /**
   * The alerts of {@code patient} this view holds (open ones, and resolved ones not yet forgotten),
   * newest raised first.
   */
  public synchronized List<AlertSummary> ofPatient(String patient) {
    return alerts.values().stream()
        .filter(e -> e.patient.equals(patient))
        .map(e -> e.summary(selfClearedListed))
        .sorted(Comparator.comparing(AlertSummary::raisedAt).reversed())
        .toList();
  }

  private static String tenantOf(String patient) {
    int slash = patient.indexOf('/');
    return slash < 0 ? "" : patient.substring(0, slash);
  }

  /** How many alerts of a team and cause nurses resolved with an outcome. */
  @io.micronaut.serde.annotation.Serdeable
  public record OutcomeCount(String team, String cause, String outcome, int count) {}

  /**
   * The outcomes nurses gave when resolving alerts of {@code teams} ({@code tenant/team}), per
   * team, cause and outcome, over the whole audit trail this view read (its counts survive the
   * alerts it forgets); team, cause and outcome in name order.
   */
  public synchronized List<OutcomeCount> outcomesFor(Collection<String> teams) {
    List<OutcomeCount> out = new ArrayList<>();
    for (String team : new java.util.TreeSet<>(teams)) {
      new java.util.TreeMap<>(outcomes.getOrDefault(team, Map.of()))
          .forEach(
              (cause, byOutcome) ->
                  new java.util.TreeMap<>(byOutcome)
                      .forEach((o, n) -> out.add(new OutcomeCount(team, cause, o, n))));
    }
    return out;
  }

  public synchronized List<AlertHistoryEntry> history(String alertId) {
    Entry e = alerts.get(alertId);
    return e == null ? List.of() : List.copyOf(e.history);
  }

  /**
   * Open (raised or acknowledged) alerts of the given teams ({@code tenant/team}), with the
   * service's own TECHNICAL alerts that concern them, by priority, then oldest first.
   */
  public synchronized List<AlertSummary> openFor(Collection<String> teams) {
    return listFor(teams, null);
  }

  /**
   * The nurse's list at {@code now}: the open alerts of {@link #openFor}, and the MEDIUM and LOW
   * alerts that cleared by themselves (never acknowledged) less than {@code
   * vigil.alerts.list.self-cleared-for} before {@code now}, marked {@code clearedBySelf}; by
   * priority, then oldest first. With {@code now} null, open alerts only.
   */
  public synchronized List<AlertSummary> listFor(Collection<String> teams, Instant now) {
    Instant since = now == null ? null : now.minus(selfClearedListed);
    List<AlertSummary> out = new ArrayList<>();
    alerts.values().stream()
        .map(e -> e.summary(selfClearedListed))
        .filter(a -> teams.contains(a.teamKey()))
        .filter(
            a ->
                a.open()
                    || (since != null
                        && a.clearedBySelf()
                        && a.resolvedAt() != null
                        && a.resolvedAt().isAfter(since)))
        .forEach(out::add);
    systemAlerts.values().stream()
        .filter(sa -> sa.concerns(teams))
        .map(SystemAlert::summary)
        .forEach(out::add);
    out.sort(
        Comparator.comparingInt(AlertSummary::priorityRank).thenComparing(AlertSummary::raisedAt));
    return out;
  }

  /** Whether a change to {@code a} is for a user holding {@code teams} ({@code tenant/team}). */
  public synchronized boolean visibleTo(AlertSummary a, Collection<String> teams) {
    SystemAlert system = systemAlerts.get(a.alertId());
    if (system != null) {
      return system.concerns(teams);
    }
    if (a.alertId().startsWith(SYSTEM_PREFIX)) {
      return true; // a cleared system alert: only its id and RESOLVED status are sent
    }
    return teams.contains(a.teamKey());
  }

  private static final String SYSTEM_PREFIX = "vigil-system-";

  /**
   * Raises (or re-states) the service's own TECHNICAL alert about {@code component}, shown to the
   * given teams ({@code tenant/team}; every team when null) until {@link #clearSystemAlert}. It
   * names no patient; it lives in this instance's memory, since the path that would record it may
   * be the one that failed.
   */
  public void raiseSystemAlert(String component, String cause, Set<String> teams, String note) {
    Instant now = Instant.now();
    AlertSummary summary = systemSummary(systemAlertId(component), cause, now, null, note);
    synchronized (this) {
      systemAlerts.put(summary.alertId(), new SystemAlert(summary, teams));
    }
    LOG.error("technical alert {}: {}", cause, note);
    notifyListeners(summary);
  }

  /** Clears the service's own alert about {@code component}, telling every live stream. */
  public void clearSystemAlert(String component) {
    SystemAlert cleared;
    synchronized (this) {
      cleared = systemAlerts.remove(systemAlertId(component));
    }
    if (cleared != null) {
      AlertSummary s = cleared.summary();
      Instant now = Instant.now();
      LOG.info("technical alert {} cleared", s.cause());
      notifyListeners(systemSummary(s.alertId(), s.cause(), s.raisedAt(), now, "recovered"));
    }
  }

  private static String systemAlertId(String component) {
    return SYSTEM_PREFIX + component.replaceAll("[^A-Za-z0-9-]", "-");
  }

  /**
   * One of the service's own alerts as the nurse sees it: TECHNICAL and MEDIUM, with the charge
   * nurse (tier 1), naming no patient or team; resolved by the service when {@code resolvedAt} is
   * set, else raised. It changed last when it was raised or resolved.
   */
  private static AlertSummary systemSummary(
      String alertId, String cause, Instant raisedAt, Instant resolvedAt, String note) {
    boolean resolved = resolvedAt != null;
    return new AlertSummary(
        alertId,
        "",
        cause,
        "TECHNICAL",
        "MEDIUM",
        "",
        1,
        TIER_NAMES[1],
        resolved ? "RESOLVED" : "RAISED",
        raisedAt,
        raisedAt,
        null,
        null,
        resolved ? LifecycleConfig.SYSTEM_ACTOR : null,
        resolvedAt,
        null,
        null,
        null,
        note,
        resolved ? resolvedAt : raisedAt,
        null,
        false,
        null,
        null,
        null,
        false,
        false,
        null,
        null,
        null);
  }

  /** One of the service's own alerts and who it concerns (null: everyone). */
  private record SystemAlert(AlertSummary summary, Set<String> teams) {
    boolean concerns(Collection<String> userTeams) {
      return teams == null ? !userTeams.isEmpty() : userTeams.stream().anyMatch(teams::contains);
    }
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
    reader.stopUnder(supervisor);
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
    boolean cleared;
    String acknowledgeReason;
    String outcome;

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
      cleared = Boolean.TRUE.equals(e.getConditionCleared());
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
          acknowledgeReason = e.getReason() == null ? null : e.getReason().name();
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
          outcome = e.getOutcome() == null ? null : e.getOutcome().name();
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
              e.getNote(),
              e.getReason() == null ? null : e.getReason().name(),
              e.getOutcome() == null ? null : e.getOutcome().name()));
    }

    /**
     * Whether the alert cleared by itself: resolved by the service when its condition cleared,
     * nobody having acknowledged it (MEDIUM and LOW alerts; HIGH ones latch instead).
     */
    boolean clearedBySelf() {
      return "RESOLVED".equals(status)
          && cleared
          && acknowledgedBy == null
          && LifecycleConfig.SYSTEM_ACTOR.equals(resolvedBy);
    }

    AlertSummary summary(Duration selfClearedListed) {
      boolean bySelf = clearedBySelf();
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
          lateReadings,
          cleared,
          bySelf,
          bySelf ? resolvedAt.plus(selfClearedListed) : null,
          acknowledgeReason,
          outcome);
    }
  }
}
