package io.vigil.alerts.lifecycle;

import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams side of the alert lifecycle: reads a patient's state from the stores, hands it
 * with one input to {@link AlertLifecycle}, writes the new state back and forwards the events. The
 * rules live in the lifecycle's parts; this class owns only the stores, the wall-clock punctuations
 * that feed the clock inputs, and the memory of nurse actions already applied.
 *
 * <p>Escalation deadlines are also indexed by time in a store, so the punctuation finds the due
 * ones without reading every alert: under exactly-once the deadline's removal, the state change and
 * the ESCALATED event commit together, so a restart neither loses nor repeats an escalation. The
 * same holds for the patients' own clock checks (readings stopped, expiry): each patient has one
 * row in {@link AlertsTopology#CHECKS_STORE} at the time {@link AlertLifecycle#nextCheck} gives for
 * its state, moved whenever a step changes that time, so the check every {@code stopped-check}
 * reads only the patients due, however many are monitored.
 */
final class AlertProcessor implements Processor<PatientKey, Object, PatientKey, AlertEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);

  private static final Duration ACTION_PURGE_EVERY = Duration.ofHours(1);
  private static final int MAX_CHECKS_PER_TICK = 5_000;

  private final LifecycleConfig settings;
  private ProcessorContext<PatientKey, AlertEvent> context;
  private KeyValueStore<String, AlertState> alerts;
  private KeyValueStore<String, String> deadlines;
  private KeyValueStore<String, Long> actionsSeen;
  private KeyValueStore<String, PatientContext> contexts;
  private KeyValueStore<String, RiskScore> history;
  private KeyValueStore<String, LastSeen> lastSeen;
  private KeyValueStore<String, String> checks;
  private KeyValueStore<String, TeamThreshold> teamThresholds;
  private AlertLifecycle lifecycle;
  private long startedAt;

  AlertProcessor(LifecycleConfig settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<PatientKey, AlertEvent> context) {
    this.context = context;
    alerts = context.getStateStore(AlertsTopology.ALERTS_STORE);
    deadlines = context.getStateStore(AlertsTopology.DEADLINES_STORE);
    actionsSeen = context.getStateStore(AlertsTopology.ACTIONS_SEEN_STORE);
    contexts = context.getStateStore(AlertsTopology.CONTEXT_STORE);
    history = context.getStateStore(AlertsTopology.RISK_HISTORY_STORE);
    lastSeen = context.getStateStore(AlertsTopology.LAST_SEEN_STORE);
    checks = context.getStateStore(AlertsTopology.CHECKS_STORE);
    teamThresholds = context.getStateStore(AlertsTopology.TEAM_THRESHOLDS_STORE);
    lifecycle = new AlertLifecycle(settings, teamThresholds::get);
    startedAt = context.currentSystemTimeMs();
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::fireDeadlines);
    context.schedule(settings.stoppedCheck(), PunctuationType.WALL_CLOCK_TIME, this::checkPatients);
    context.schedule(ACTION_PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOldActions);
  }

  @Override
  public void process(Record<PatientKey, Object> record) {
    PatientKey key = record.key();
    Object value = record.value();
    if (key != null
        && value == null
        && context
            .recordMetadata()
            .map(m -> Topics.PATIENTS_CONTEXT.name().equals(m.topic()))
            .orElse(false)) {
      contexts.delete(PatientKeys.format(key)); // the platform deleted the patient's context
      return;
    }
    if (key == null || value == null) {
      LOG.warn("dropped a record without key or value");
      return;
    }
    Instant time = EventTimeExtractor.eventTime(value);
    String timeProblem =
        time == null ? null : EventTimeExtractor.problem(time, System.currentTimeMillis());
    if (timeProblem != null) {
      // Set aside to alerts.dead-letter by the processing exception handler, with this reason.
      throw new IllegalArgumentException(timeProblem);
    }
    String patient = PatientKeys.format(key);
    LifecycleInput input;
    if (value instanceof RiskScore score) {
      RiskScore judged =
          history.get(StoreKeys.history(patient, score.getWindowEnd().toEpochMilli()));
      input = new LifecycleInput.Score(score, judged);
    } else if (value instanceof PatientContext ctx) {
      input = new LifecycleInput.Context(ctx);
    } else if (value instanceof AlertAction action) {
      if (actionsSeen.get(action.getActionId()) != null) {
        LOG.debug("duplicate action {} ignored", action.getActionId());
        return;
      }
      actionsSeen.put(action.getActionId(), context.currentSystemTimeMs());
      input = new LifecycleInput.Action(action);
    } else if (value instanceof AlertEvent failed) {
      input = new LifecycleInput.DeliveryFailed(failed);
    } else {
      LOG.warn("dropped a record of unexpected type {}", value.getClass().getName());
      return;
    }
    apply(key, input, context.currentSystemTimeMs());
  }

  /** One step of the lifecycle for one patient: read, apply, write, forward; the new state. */
  private PatientAlerts apply(PatientKey key, LifecycleInput input, long now) {
    String patient = PatientKeys.format(key);
    PatientAlerts before = load(key, patient);
    Step step = lifecycle.apply(before, input, now);
    save(patient, before, step);
    for (AlertEvent event : step.events()) {
      context.forward(new Record<>(key, event, event.getTime().toEpochMilli()));
    }
    return step.state();
  }

  private PatientAlerts load(PatientKey key, String patient) {
    Map<AlertCause, AlertState> open = new EnumMap<>(AlertCause.class);
    String prefix = StoreKeys.patientPrefix(patient);
    try (KeyValueIterator<String, AlertState> it =
        alerts.range(prefix, prefix + Character.MAX_VALUE)) {
      it.forEachRemaining(kv -> open.put(kv.value.cause, kv.value));
    }
    return new PatientAlerts(key, open, lastSeen.get(patient), contexts.get(patient));
  }

  private void save(String patient, PatientAlerts before, Step step) {
    PatientAlerts after = step.state();
    Set<AlertCause> causes = EnumSet.noneOf(AlertCause.class);
    causes.addAll(before.open().keySet());
    causes.addAll(after.open().keySet());
    for (AlertCause cause : causes) {
      AlertState was = before.alert(cause);
      AlertState now = after.alert(cause);
      String alertKey = StoreKeys.alert(patient, cause);
      if (now == null) {
        alerts.delete(alertKey);
      } else if (was == null || !AlertStateSerde.row(was).equals(AlertStateSerde.row(now))) {
        alerts.put(alertKey, now);
      }
      long dueWas = was == null ? 0 : was.deadline;
      long dueNow = now == null ? 0 : now.deadline;
      if (dueWas != dueNow) {
        if (dueWas > 0) {
          deadlines.delete(StoreKeys.deadline(dueWas, alertKey));
        }
        if (dueNow > 0) {
          deadlines.put(StoreKeys.deadline(dueNow, alertKey), alertKey);
        }
      }
    }
    if (after.seen() == null) {
      if (before.seen() != null) {
        lastSeen.delete(patient);
      }
    } else if (!after.seen().equals(before.seen())) {
      lastSeen.put(patient, after.seen());
    }
    long checkWas = lifecycle.nextCheck(before);
    long checkNow = lifecycle.nextCheck(after);
    if (checkWas != checkNow) {
      if (checkWas != Long.MAX_VALUE) {
        checks.delete(StoreKeys.deadline(checkWas, patient));
      }
      if (checkNow != Long.MAX_VALUE) {
        checks.put(StoreKeys.deadline(checkNow, patient), patient);
      }
    }
    if (after.context() != before.context() && after.context() != null) {
      contexts.put(patient, after.context());
    }
    RiskScore judged = step.judged();
    if (judged != null) {
      history.put(StoreKeys.history(patient, judged.getWindowEnd().toEpochMilli()), judged);
    }
    if (step.historyBefore() != Step.KEEP_HISTORY) {
      purgeHistory(patient, step.historyBefore());
    }
  }

  private void purgeHistory(String patient, long olderThan) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, RiskScore> it =
        history.range(StoreKeys.history(patient, 0), StoreKeys.history(patient, olderThan - 1))) {
      it.forEachRemaining(kv -> old.add(kv.key));
    }
    old.forEach(history::delete);
  }

  // --- the clock inputs ----------------------------------------------------------------------

  /** Every escalation deadline that has passed, through the lifecycle's {@link Escalation}. */
  private void fireDeadlines(long now) {
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        deadlines.range(StoreKeys.time(0), StoreKeys.deadline(now, "" + Character.MAX_VALUE))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> entry : due) {
      deadlines.delete(entry.key);
      long dueAt = Long.parseLong(entry.key.substring(0, entry.key.indexOf(StoreKeys.SEP)));
      int sep = entry.value.lastIndexOf(StoreKeys.SEP);
      PatientKey key = PatientKeys.parse(entry.value.substring(0, sep));
      AlertCause cause = AlertCause.valueOf(entry.value.substring(sep + 1));
      apply(key, new LifecycleInput.DeadlineDue(cause, dueAt), now);
    }
  }

  /**
   * The patients whose clock check is due, through the lifecycle's {@link StoppedReadings} and
   * {@link PatientExpiry}; nothing during the start-up grace, which gives a backlog of scores time
   * to arrive after downtime (the due rows wait for it). At most {@value #MAX_CHECKS_PER_TICK} per
   * partition and tick, oldest first, so that when scores stopped for a whole ward at once the
   * stream thread still turns to new scores between ticks.
   */
  private void checkPatients(long now) {
    if (!StoppedReadings.judging(startedAt, now, settings.startupGrace())) {
      return;
    }
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        checks.range(StoreKeys.time(0), StoreKeys.deadline(now, "" + Character.MAX_VALUE))) {
      while (it.hasNext() && due.size() < MAX_CHECKS_PER_TICK) {
        due.add(it.next());
      }
    }
    for (KeyValue<String, String> entry : due) {
      checks.delete(entry.key);
      PatientKey key = PatientKeys.parse(entry.value);
      apply(key, new LifecycleInput.ReadingsCheck(), now);
      PatientAlerts after = apply(key, new LifecycleInput.ExpiryCheck(), now);
      // The patient's row at its next check, whatever the row that fired was: one left from
      // before a change of the team's limit is put right here. A check that is due and changed
      // nothing is looked at again on the next tick.
      long next = lifecycle.nextCheck(after);
      if (next != Long.MAX_VALUE) {
        long at = next > now ? next : now + settings.stoppedCheck().toMillis();
        checks.put(StoreKeys.deadline(at, entry.value), entry.value);
      }
    }
  }

  /**
   * Forgets the ids of nurse actions older than the action memory, so the memory that drops their
   * resends stays bounded.
   */
  private void forgetOldActions(long now) {
    long before = now - settings.actionMemory().toMillis();
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = actionsSeen.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> kv = it.next();
        if (kv.value < before) {
          old.add(kv.key);
        }
      }
    }
    old.forEach(actionsSeen::delete);
  }
}
