package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.AlertPolicy;
import io.vigil.alerts.policy.LstmThreshold;
import io.vigil.alerts.policy.Signal;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.alerts.tenancy.TeamKeys;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AcknowledgeReason;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.ResolveOutcome;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Folds risk scores, patient contexts, nurse actions and delivery failures into alert state, and
 * emits every transition as an {@link AlertEvent}. Escalation deadlines live in a store and are
 * fired by wall-clock punctuation: under exactly-once the deadline's removal, the state change and
 * the ESCALATED event commit together, so a restart neither loses nor repeats an escalation.
 */
final class AlertProcessor implements Processor<PatientKey, Object, PatientKey, AlertEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);
  static final String[] TIER_NAMES = {"care team", "charge nurse", "rapid response"};
  static final int MAX_TIER = TIER_NAMES.length - 1;

  private static final Duration ACTION_PURGE_EVERY = Duration.ofHours(1);
  private static final Duration EXPIRY_CHECK_EVERY = Duration.ofHours(1);

  /**
   * Seen-time of a patient whose readings-stopped alert a person resolved (a discharge, a device
   * handed back): no new one is raised until risk scores arrive again and then stop again.
   */
  private static final long SILENCED = Long.MAX_VALUE;

  private final LifecycleSettings settings;
  private ProcessorContext<PatientKey, AlertEvent> context;
  private KeyValueStore<String, AlertState> alerts;
  private KeyValueStore<String, String> deadlines;
  private KeyValueStore<String, Long> actionsSeen;
  private KeyValueStore<String, PatientContext> contexts;
  private KeyValueStore<String, RiskScore> history;
  private KeyValueStore<String, String> lastSeen;
  private KeyValueStore<String, TeamThreshold> teamThresholds;
  private long startedAt;

  /** The LSTM threshold the score being judged is judged against (set per score). */
  private LstmThreshold judgedAgainst;

  AlertProcessor(LifecycleSettings settings) {
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
    teamThresholds = context.getStateStore(AlertsTopology.TEAM_THRESHOLDS_STORE);
    startedAt = context.currentSystemTimeMs();
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::fireDeadlines);
    context.schedule(
        settings.stoppedCheck(), PunctuationType.WALL_CLOCK_TIME, this::checkStoppedReadings);
    context.schedule(ACTION_PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOldActions);
    context.schedule(EXPIRY_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::expirePatients);
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
    long now = context.currentSystemTimeMs();
    if (value instanceof RiskScore score) {
      onScore(key, patient, score, now);
    } else if (value instanceof PatientContext ctx) {
      contexts.put(patient, ctx);
      reroute(key, patient, now);
    } else if (value instanceof AlertAction action) {
      onAction(key, patient, action);
    } else if (value instanceof AlertEvent failed) {
      onDeliveryFailed(key, patient, failed, now);
    } else {
      LOG.warn("dropped a record of unexpected type {}", value.getClass().getName());
    }
  }

  // --- risk scores ---------------------------------------------------------------------------

  /**
   * Judges one risk score. Scoring re-scores a window when readings arrive after it closed, so a
   * score is either a window's first score or a revision of it, and its window may be older than
   * the newest window already judged for the patient. The rules (module README, "Late data and
   * revisions"):
   *
   * <ul>
   *   <li>A score whose (window, revision) is not newer than the one already stored for that window
   *       is a replay or a superseded revision: it changes nothing.
   *   <li>A window newer than every window judged so far moves the policy as always (raise, update,
   *       band, count towards clearing), whatever its revision.
   *   <li>An older or equal window moves the policy only when it carries late data (revision above
   *       0 or late readings); otherwise it is kept for the trend only, so a re-sent old score
   *       cannot re-raise a cleared alert.
   *   <li>Such a late window raises an alert when it is above the raise level and the previous
   *       revision of the same window was not (or was never seen): the alert states the window's
   *       end and that it rests on late data.
   *   <li>It never counts towards clearing and never resolves: only new windows clear. Above or in
   *       the band, it restarts the clear count when it falls inside the current run of windows
   *       below the clear level, since that run was not, in fact, below.
   *   <li>It replaces an open alert's evidence only when it revises the window that evidence came
   *       from, or is a newer window above the raise level, so older evidence never hides newer.
   * </ul>
   *
   * <p>A window ending more than {@link LifecycleSettings#JUDGED_WITHIN} (24 h) before the newest
   * one is not judged nor stored: scoring revises windows only within that horizon, so such a score
   * is a replay, not news. The store keeps {@link LifecycleSettings#riskHistory()} (72 h) for the
   * patient view's trend.
   */
  private void onScore(PatientKey key, String patient, RiskScore score, long now) {
    long windowEnd = score.getWindowEnd().toEpochMilli();
    String historyKey = StoreKeys.history(patient, windowEnd);
    RiskScore judged = history.get(historyKey);
    if (judged != null && judged.getRevision() >= score.getRevision()) {
      LOG.debug(
          "risk score for {} at {} revision {} already judged at revision {}: ignored",
          patient,
          score.getWindowEnd(),
          score.getRevision(),
          judged.getRevision());
      return;
    }
    long previousWindowEnd = lastWindowEnd(patient);
    long newest = Math.max(windowEnd, previousWindowEnd);
    lastSeen.put(patient, now + "," + newest + "," + now);
    AlertState stopped = alerts.get(StoreKeys.alert(patient, AlertCause.READINGS_STOPPED));
    if (stopped != null) {
      resolve(key, stopped, LifecycleSettings.SYSTEM_ACTOR, now, "risk scores resumed");
    }
    long horizon = newest - LifecycleSettings.JUDGED_WITHIN.toMillis();
    if (windowEnd < horizon) {
      LOG.info(
          "risk score for {} at {} revision {} is more than 24 h older than the newest: not judged",
          patient,
          score.getWindowEnd(),
          score.getRevision());
      return;
    }
    history.put(historyKey, score);
    // Kept for the patient view's trend (72 h), never less than the judging horizon.
    purgeHistory(
        patient,
        newest
            - Math.max(
                settings.riskHistory().toMillis(), LifecycleSettings.JUDGED_WITHIN.toMillis()));
    boolean newWindow = windowEnd > previousWindowEnd;
    if (!newWindow && !isLate(score)) {
      LOG.debug(
          "late risk score for {} at {} kept for history only", patient, score.getWindowEnd());
      return;
    }
    String team = teamOf(patient);
    TeamPolicy policy = settings.policies().forTeam(key.getTenant(), team);
    Double budgetThreshold = budgetThreshold(key.getTenant(), team, policy);
    judgedAgainst = policy.lstmThresholdFor(score.getLstmThreshold(), budgetThreshold);
    Map<AlertCause, Signal> signals = AlertPolicy.evaluate(score, policy, budgetThreshold);
    Map<AlertCause, Signal> before =
        judged == null ? null : AlertPolicy.evaluate(judged, policy, budgetThreshold);
    for (AlertCause cause : AlertPolicy.CLINICAL_CAUSES) {
      String alertKey = StoreKeys.alert(patient, cause);
      AlertState state = alerts.get(alertKey);
      Signal signal = signals.get(cause);
      if (cause == AlertCause.NEWS2_MEDIUM
          && alerts.get(StoreKeys.alert(patient, AlertCause.NEWS2_HIGH)) != null) {
        // One NEWS2 alarm at a time: the HIGH alert carries the evidence.
        if (state != null) {
          resolve(
              key, state, LifecycleSettings.SYSTEM_ACTOR, now, "superseded by a NEWS2_HIGH alert");
        }
        continue;
      }
      if (state == null) {
        boolean crossed = newWindow || before == null || before.get(cause) != Signal.ABOVE;
        if (signal == Signal.ABOVE && crossed) {
          raise(
              key,
              patient,
              cause,
              AlertCategory.CLINICAL,
              team,
              policy,
              score,
              now,
              isLate(score) ? lateNote(score) : null);
        }
        continue;
      }
      if (newWindow) {
        judgeNewWindow(key, state, signal, score, policy, now);
      } else {
        judgeLateWindow(key, state, signal, score, policy);
      }
    }
  }

  /** A window newer than every window judged for the patient: the hysteresis moves. */
  private void judgeNewWindow(
      PatientKey key,
      AlertState state,
      Signal signal,
      RiskScore score,
      TeamPolicy policy,
      long now) {
    long windowEnd = score.getWindowEnd().toEpochMilli();
    String alertKey = StoreKeys.alert(state.patient, state.cause);
    switch (signal) {
      case ABOVE -> {
        restartClearing(state);
        boolean returned = state.cleared;
        state.cleared = false;
        boolean changed = evidenceChanged(state, score) || returned;
        setEvidence(state, score);
        if (returned) {
          emit(
              key,
              state,
              AlertEventType.UPDATED,
              LifecycleSettings.SYSTEM_ACTOR,
              windowEnd,
              "condition returned above the alert level while latched");
        } else if (changed) {
          emit(
              key,
              state,
              AlertEventType.UPDATED,
              LifecycleSettings.SYSTEM_ACTOR,
              windowEnd,
              isLate(score) ? lateNote(score) : null);
        }
        alerts.put(alertKey, state);
      }
      case BAND -> {
        restartClearing(state);
        alerts.put(alertKey, state);
      }
      case BELOW -> {
        if (state.cleared) {
          return; // latched: stays as it is until acknowledged
        }
        if (state.clearCount == 0) {
          state.clearFrom = windowEnd;
        }
        state.clearCount++;
        if (state.clearCount >= policy.clearWindows()) {
          setEvidence(state, score);
          String cleared = "condition cleared for " + state.clearCount + " consecutive windows";
          if (state.status != AlertStatus.OPEN) {
            resolve(key, state, LifecycleSettings.SYSTEM_ACTOR, now, cleared);
          } else if (latches(state)) {
            // IEC 60601-1-8 latching: a HIGH alarm nobody acknowledged stays until someone does.
            state.cleared = true;
            emit(
                key,
                state,
                AlertEventType.UPDATED,
                LifecycleSettings.SYSTEM_ACTOR,
                windowEnd,
                cleared + " before anyone acknowledged: latched until acknowledged");
            alerts.put(alertKey, state);
          } else {
            state.cleared = true;
            resolve(
                key,
                state,
                LifecycleSettings.SYSTEM_ACTOR,
                now,
                cleared + " by itself, never acknowledged");
          }
        } else {
          alerts.put(alertKey, state);
        }
      }
      default -> {
        // UNKNOWN: no evidence either way for this cause in this window.
      }
    }
  }

  /**
   * A window no newer than the newest judged one, carrying late data, while the alert is open: it
   * may correct the alert's evidence or break a clearing run, but never clears.
   */
  private void judgeLateWindow(
      PatientKey key, AlertState state, Signal signal, RiskScore score, TeamPolicy policy) {
    if (signal == Signal.UNKNOWN) {
      return;
    }
    long windowEnd = score.getWindowEnd().toEpochMilli();
    boolean revisesEvidence = windowEnd == state.windowEnd;
    boolean newerEvidence = windowEnd > state.windowEnd && signal == Signal.ABOVE;
    boolean changed = false;
    if (revisesEvidence || newerEvidence) {
      changed = evidenceChanged(state, score);
      setEvidence(state, score);
    }
    if (signal != Signal.BELOW && state.clearCount > 0 && windowEnd >= state.clearFrom) {
      restartClearing(state);
    }
    if (changed) {
      String note = lateNote(score);
      if (signal != Signal.ABOVE) {
        note +=
            "; revised below the alert level: the alert stays open until "
                + policy.clearWindows()
                + " new windows are below its clear level or a nurse resolves it";
      }
      emit(key, state, AlertEventType.UPDATED, LifecycleSettings.SYSTEM_ACTOR, windowEnd, note);
    }
    alerts.put(StoreKeys.alert(state.patient, state.cause), state);
  }

  /** A HIGH clinical alert latches: it stays until acknowledged even when its condition clears. */
  static boolean latches(AlertState state) {
    return state.priority == AlertPriority.HIGH && state.category == AlertCategory.CLINICAL;
  }

  private static void restartClearing(AlertState state) {
    state.clearCount = 0;
    state.clearFrom = 0;
  }

  /** A score carries late data when it revises its window or counts readings that came late. */
  static boolean isLate(RiskScore score) {
    return score.getRevision() > 0 || score.getLateReadings() > 0;
  }

  /** What a nurse should read about late evidence: the window's own time and what came late. */
  static String lateNote(RiskScore score) {
    StringBuilder b =
        new StringBuilder("based on late readings: window ending ").append(score.getWindowEnd());
    if (score.getRevision() > 0) {
      b.append(", revision ").append(score.getRevision());
    }
    int late = score.getLateReadings();
    if (late > 0) {
      b.append(", ").append(late).append(late == 1 ? " late reading" : " late readings");
      if (!score.getLateVitals().isEmpty()) {
        b.append(" (").append(String.join(", ", score.getLateVitals())).append(')');
      }
    }
    return b.toString();
  }

  private static boolean evidenceChanged(AlertState s, RiskScore score) {
    Double risk = score.getLstmRisk();
    boolean riskChanged =
        risk == null
            ? s.lstmRisk != null
            : s.lstmRisk == null || Math.abs(risk - s.lstmRisk) >= 0.01;
    return riskChanged || s.news2Total == null || s.news2Total != score.getNews2().getTotal();
  }

  /**
   * The threshold the team's alert budget has derived, when the team has a budget and its budget is
   * past warm-up (source BUDGET); null otherwise, so the model's threshold is used.
   */
  private Double budgetThreshold(String tenant, String team, TeamPolicy policy) {
    if (policy.budget() == null) {
      return null;
    }
    TeamThreshold t = teamThresholds.get(TeamKeys.of(tenant, team));
    return t == null || t.getSource() != LstmThresholdSource.BUDGET ? null : t.getThreshold();
  }

  private void setEvidence(AlertState s, RiskScore score) {
    boolean hasRisk = score.getLstmRisk() != null && judgedAgainst != null;
    s.lstmThreshold = hasRisk ? judgedAgainst.value() : null;
    s.lstmThresholdSource = hasRisk ? judgedAgainst.source() : null;
    s.lstmRisk = score.getLstmRisk();
    s.news2Total = score.getNews2().getTotal();
    s.windowEnd = score.getWindowEnd().toEpochMilli();
    s.revision = score.getRevision();
    s.lateReadings = score.getLateReadings();
    s.lateData = isLate(score);
  }

  private void purgeHistory(String patient, long olderThan) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, RiskScore> it =
        history.range(StoreKeys.history(patient, 0), StoreKeys.history(patient, olderThan - 1))) {
      it.forEachRemaining(kv -> old.add(kv.key));
    }
    old.forEach(history::delete);
  }

  /**
   * The newest window end judged for the patient. Last-seen rows are {@code
   * seenAt,newestWindowEnd,lastScoreAt} (wall-clock arrival of the last score; rows written before
   * it was kept have two fields).
   */
  private long lastWindowEnd(String patient) {
    String seen = lastSeen.get(patient);
    return seen == null ? Long.MIN_VALUE : Long.parseLong(seen.split(",")[1]);
  }

  /** When the patient's last risk score arrived (wall clock); {@code fallback} when unknown. */
  private long lastScoreAt(String patient, long fallback) {
    String seen = lastSeen.get(patient);
    return seen == null ? fallback : lastScoreAtOf(seen, fallback);
  }

  private static long lastScoreAtOf(String seen, long fallback) {
    String[] parts = seen.split(",");
    if (parts.length > 2) {
      return Long.parseLong(parts[2]);
    }
    long seenAt = Long.parseLong(parts[0]);
    return seenAt == SILENCED ? fallback : seenAt;
  }

  // --- expiry of patients who stopped sending ------------------------------------------------

  /**
   * Removes the state of every patient whose last risk score arrived more than the patient expiry
   * ago: open alerts are resolved (recorded, with a note starting {@value
   * LifecycleSettings#EXPIRED_NOTE}, so the view and webhooks learn it), the risk trend and the
   * last-seen row are deleted. A patient who sends again later starts afresh.
   */
  private void expirePatients(long now) {
    long before = now - settings.patientExpiry().toMillis();
    List<KeyValue<String, String>> expired = new ArrayList<>();
    try (KeyValueIterator<String, String> it = lastSeen.all()) {
      while (it.hasNext()) {
        KeyValue<String, String> kv = it.next();
        if (lastScoreAtOf(kv.value, now) < before) {
          expired.add(kv);
        }
      }
    }
    for (KeyValue<String, String> kv : expired) {
      String patient = kv.key;
      PatientKey key = PatientKeys.parse(patient);
      List<AlertState> open = new ArrayList<>();
      String prefix = StoreKeys.patientPrefix(patient);
      try (KeyValueIterator<String, AlertState> it =
          alerts.range(prefix, prefix + Character.MAX_VALUE)) {
        it.forEachRemaining(a -> open.add(a.value));
      }
      String note =
          LifecycleSettings.EXPIRED_NOTE
              + ": no risk score since "
              + Instant.ofEpochMilli(lastScoreAtOf(kv.value, now))
              + " ("
              + settings.patientExpiry().toDays()
              + " days or more)";
      for (AlertState state : open) {
        state.cleared = false; // not a condition that cleared: the patient's state is removed
        resolve(key, state, LifecycleSettings.SYSTEM_ACTOR, now, note);
      }
      purgeHistory(patient, Long.MAX_VALUE);
      lastSeen.delete(patient);
      LOG.info("state of {} removed: no risk score for {}", patient, settings.patientExpiry());
    }
  }

  private static String tenantOf(String patient) {
    return patient.substring(0, patient.indexOf('/'));
  }

  /**
   * The patient's care team as its tenant names it: the first team of its context, else the
   * fallback team. Either is a team of the patient's own tenant: a patient without context of
   * tenant A goes to A's fallback team, never to another tenant's.
   */
  private String teamOf(String patient) {
    return teamOf(contexts, patient, settings.fallbackTeam());
  }

  static String teamOf(
      KeyValueStore<String, PatientContext> contexts, String patient, String fallbackTeam) {
    PatientContext ctx = contexts.get(patient);
    if (ctx == null || ctx.getCareTeams().isEmpty()) {
      return fallbackTeam;
    }
    return ctx.getCareTeams().get(0);
  }

  /**
   * Moves the patient's open alerts to the care team its context now names. A score can be judged
   * before the patient's first context (both arrive on their own topics; with equal event times
   * either may come first), and a patient moves between teams: in both cases the alert belongs to
   * the team that now has the patient, so that team is notified (a NOTIFIED event carrying the new
   * team, which the view, the live streams and the team's webhook follow). The alert keeps its
   * status, tier and escalation deadline: nothing already done for it is undone. An alert that a
   * team's webhook could not be reached stays with that team, whose pager it is about.
   */
  private void reroute(PatientKey key, String patient, long now) {
    String team = teamOf(patient);
    for (AlertCause cause : AlertCause.values()) {
      if (cause == AlertCause.DELIVERY_FAILED) {
        continue;
      }
      String alertKey = StoreKeys.alert(patient, cause);
      AlertState state = alerts.get(alertKey);
      if (state == null || team.equals(state.careTeam)) {
        continue;
      }
      String from = state.careTeam;
      state.careTeam = team;
      notify(
          key,
          state,
          now,
          TIER_NAMES[state.tier]
              + " "
              + team
              + " notified: the patient's care team is now "
              + team
              + " (was "
              + from
              + ")");
      alerts.put(alertKey, state);
      LOG.info("alert {} of {} moved from team {} to {}", state.alertId, patient, from, team);
    }
  }

  // --- nurse actions -------------------------------------------------------------------------

  private void onAction(PatientKey key, String patient, AlertAction action) {
    if (actionsSeen.get(action.getActionId()) != null) {
      LOG.debug("duplicate action {} ignored", action.getActionId());
      return;
    }
    actionsSeen.put(action.getActionId(), context.currentSystemTimeMs());
    AlertState state = findOpen(patient, action.getAlertId());
    if (state == null) {
      LOG.info(
          "action {} on alert {} which is not open: ignored",
          action.getActionId(),
          action.getAlertId());
      return;
    }
    long time = action.getTime().toEpochMilli();
    if (action.getAction() == AlertActionType.ACKNOWLEDGE) {
      if (state.status != AlertStatus.OPEN) {
        return;
      }
      state.status = AlertStatus.ACKNOWLEDGED;
      clearDeadline(state);
      emit(
          key,
          state,
          AlertEventType.ACKNOWLEDGED,
          action.getActor(),
          time,
          action.getNote(),
          action.getReason(),
          null);
      if (state.cleared) {
        resolve(
            key,
            state,
            LifecycleSettings.SYSTEM_ACTOR,
            time,
            "latched alert acknowledged after its condition had cleared");
      } else {
        alerts.put(StoreKeys.alert(patient, state.cause), state);
      }
    } else {
      resolve(key, state, action.getActor(), time, action.getNote(), action.getOutcome());
      if (state.cause == AlertCause.READINGS_STOPPED) {
        lastSeen.put(
            patient, SILENCED + "," + lastWindowEnd(patient) + "," + lastScoreAt(patient, time));
      }
    }
  }

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

  private AlertState findOpen(String patient, String alertId) {
    String prefix = StoreKeys.patientPrefix(patient);
    try (KeyValueIterator<String, AlertState> it =
        alerts.range(prefix, prefix + Character.MAX_VALUE)) {
      while (it.hasNext()) {
        AlertState s = it.next().value;
        if (s.alertId.equals(alertId)) {
          return s;
        }
      }
    }
    return null;
  }

  // --- delivery failures ---------------------------------------------------------------------

  private void onDeliveryFailed(PatientKey key, String patient, AlertEvent failed, long now) {
    if (failed.getCause() == AlertCause.DELIVERY_FAILED) {
      return; // never alert about the delivery of a delivery alert: that would loop
    }
    String note =
        "webhook delivery of " + failed.getType() + " for alert " + failed.getAlertId() + " failed";
    AlertState open = alerts.get(StoreKeys.alert(patient, AlertCause.DELIVERY_FAILED));
    if (open != null) {
      emit(key, open, AlertEventType.UPDATED, LifecycleSettings.SYSTEM_ACTOR, now, note);
      alerts.put(StoreKeys.alert(patient, AlertCause.DELIVERY_FAILED), open);
      return;
    }
    String team = failed.getCareTeam() == null ? teamOf(patient) : failed.getCareTeam();
    raise(
        key,
        patient,
        AlertCause.DELIVERY_FAILED,
        AlertCategory.TECHNICAL,
        team,
        settings.policies().forTeam(key.getTenant(), team),
        null,
        now,
        note);
  }

  // --- stopped readings ----------------------------------------------------------------------

  private void checkStoppedReadings(long now) {
    if (now - startedAt < settings.startupGrace().toMillis()) {
      return;
    }
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = lastSeen.all()) {
      while (it.hasNext()) {
        KeyValue<String, String> kv = it.next();
        long seenAt = Long.parseLong(kv.value.split(",")[0]);
        String team = teamOf(kv.key);
        Duration after = settings.policies().forTeam(tenantOf(kv.key), team).readingsStoppedAfter();
        if (seenAt != SILENCED
            && now - seenAt >= after.toMillis()
            && alerts.get(StoreKeys.alert(kv.key, AlertCause.READINGS_STOPPED)) == null) {
          due.add(kv);
        }
      }
    }
    for (KeyValue<String, String> kv : due) {
      String team = teamOf(kv.key);
      long seenAt = Long.parseLong(kv.value.split(",")[0]);
      raise(
          PatientKeys.parse(kv.key),
          kv.key,
          AlertCause.READINGS_STOPPED,
          AlertCategory.TECHNICAL,
          team,
          settings.policies().forTeam(tenantOf(kv.key), team),
          null,
          now,
          "no risk score received since " + Instant.ofEpochMilli(seenAt));
    }
  }

  // --- escalation ----------------------------------------------------------------------------

  private void fireDeadlines(long now) {
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        deadlines.range(StoreKeys.time(0), StoreKeys.deadline(now, "" + Character.MAX_VALUE))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> entry : due) {
      deadlines.delete(entry.key);
      AlertState state = alerts.get(entry.value);
      long dueAt = Long.parseLong(entry.key.substring(0, entry.key.indexOf(StoreKeys.SEP)));
      if (state == null || state.status != AlertStatus.OPEN || state.deadline != dueAt) {
        continue; // resolved, acknowledged or rescheduled meanwhile
      }
      PatientKey key = PatientKeys.parse(state.patient);
      Duration limit =
          settings.policies().forTeam(key.getTenant(), state.careTeam).ackLimit(state.priority);
      // A technical alarm (a silent wearable, a failed webhook) is the charge nurse's to sort
      // out; calling the rapid response team for it would spend their attention on equipment.
      int topTier = state.category == AlertCategory.TECHNICAL ? 1 : MAX_TIER;
      if (state.tier < topTier) {
        state.tier++;
        emit(
            key,
            state,
            AlertEventType.ESCALATED,
            LifecycleSettings.SYSTEM_ACTOR,
            now,
            "not acknowledged within " + limit + ": escalated to " + TIER_NAMES[state.tier]);
        notify(key, state, now, TIER_NAMES[state.tier] + " notified");
      } else {
        notify(
            key, state, now, "still not acknowledged: " + TIER_NAMES[state.tier] + " re-notified");
      }
      schedule(state, now + limit.toMillis());
      alerts.put(entry.value, state);
    }
  }

  private void schedule(AlertState state, long at) {
    state.deadline = at;
    deadlines.put(
        StoreKeys.deadline(at, StoreKeys.alert(state.patient, state.cause)),
        StoreKeys.alert(state.patient, state.cause));
  }

  private void clearDeadline(AlertState state) {
    if (state.deadline > 0) {
      deadlines.delete(
          StoreKeys.deadline(state.deadline, StoreKeys.alert(state.patient, state.cause)));
      state.deadline = 0;
    }
  }

  // --- transitions ---------------------------------------------------------------------------

  private void raise(
      PatientKey key,
      String patient,
      AlertCause cause,
      AlertCategory category,
      String team,
      TeamPolicy policy,
      RiskScore score,
      long now,
      String note) {
    AlertState s = new AlertState();
    long evidenceTime = score == null ? now : score.getWindowEnd().toEpochMilli();
    // A revision that raises gets its own id: the same window's first score may have raised (and
    // a person resolved) an alert of this cause already.
    String revision =
        score == null || score.getRevision() == 0 ? "" : StoreKeys.SEP + "r" + score.getRevision();
    s.alertId =
        UUID.nameUUIDFromBytes(
                (patient + StoreKeys.SEP + cause + StoreKeys.SEP + evidenceTime + revision)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    s.patient = patient;
    s.cause = cause;
    s.category = category;
    s.priority = policy.priorityOf(cause);
    s.careTeam = team;
    if (score != null) {
      setEvidence(s, score);
    }
    emit(key, s, AlertEventType.RAISED, LifecycleSettings.SYSTEM_ACTOR, evidenceTime, note);
    s.notifiedAt = now;
    notify(key, s, now, TIER_NAMES[0] + " " + team + " notified");
    schedule(s, now + policy.ackLimit(s.priority).toMillis());
    alerts.put(StoreKeys.alert(patient, cause), s);
  }

  private void notify(PatientKey key, AlertState s, long now, String note) {
    emit(key, s, AlertEventType.NOTIFIED, LifecycleSettings.SYSTEM_ACTOR, now, note);
  }

  private void resolve(PatientKey key, AlertState s, String actor, long time, String note) {
    resolve(key, s, actor, time, note, null);
  }

  private void resolve(
      PatientKey key, AlertState s, String actor, long time, String note, ResolveOutcome outcome) {
    clearDeadline(s);
    emit(key, s, AlertEventType.RESOLVED, actor, time, note, null, outcome);
    alerts.delete(StoreKeys.alert(s.patient, s.cause));
  }

  private void emit(
      PatientKey key, AlertState s, AlertEventType type, String actor, long time, String note) {
    emit(key, s, type, actor, time, note, null, null);
  }

  /** An event, with the reason or outcome a nurse gave when the event is her action. */
  private void emit(
      PatientKey key,
      AlertState s,
      AlertEventType type,
      String actor,
      long time,
      String note,
      AcknowledgeReason reason,
      ResolveOutcome outcome) {
    s.seq++;
    boolean evidence = s.windowEnd != 0;
    AlertEvent event =
        AlertEvent.newBuilder()
            .setEventId(s.alertId + "/" + s.seq)
            .setAlertId(s.alertId)
            .setType(type)
            .setCause(s.cause)
            .setCategory(s.category)
            .setPriority(s.priority)
            .setCareTeam(s.careTeam)
            .setTier(s.tier)
            .setActor(actor)
            .setTime(Instant.ofEpochMilli(time))
            .setLstmRisk(s.lstmRisk)
            .setNews2Total(s.news2Total)
            .setWindowEnd(s.windowEnd == 0 ? null : Instant.ofEpochMilli(s.windowEnd))
            .setNote(note)
            .setRevision(evidence ? s.revision : null)
            .setLateData(evidence ? s.lateData : null)
            .setLateReadings(evidence ? s.lateReadings : null)
            .setConditionCleared(s.cleared ? Boolean.TRUE : null)
            .setLstmThreshold(evidence ? s.lstmThreshold : null)
            .setLstmThresholdSource(evidence ? s.lstmThresholdSource : null)
            .setReason(reason)
            .setOutcome(outcome)
            .build();
    context.forward(new Record<>(key, event, time));
  }
}
