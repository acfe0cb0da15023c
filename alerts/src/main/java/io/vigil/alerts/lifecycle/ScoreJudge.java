package io.vigil.alerts.lifecycle;

import io.vigil.alerts.policy.AlertPolicy;
import io.vigil.alerts.policy.LstmThreshold;
import io.vigil.alerts.policy.Signal;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.risk.RiskScore;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one risk score against the care team's alert policy: raising, updating, the hysteresis
 * band, clearing and latching. Scoring re-scores a window when readings arrive after it closed, so
 * a score is either a window's first score or a revision of it, and its window may be older than
 * the newest window already judged for the patient. The rules (module README, "Late data and
 * revisions"):
 *
 * <ul>
 *   <li>A score whose (window, revision) is not newer than the one already stored for that window
 *       is a replay or a superseded revision: it changes nothing.
 *   <li>A window newer than every window judged so far moves the policy as always (raise, update,
 *       band, count towards clearing), whatever its revision.
 *   <li>An older or equal window moves the policy only when it carries late data (revision above 0
 *       or late readings); otherwise it is kept for the trend only, so a re-sent old score cannot
 *       re-raise a cleared alert.
 *   <li>Such a late window raises an alert when it is above the raise level and the previous
 *       revision of the same window was not (or was never seen): the alert states the window's end
 *       and that it rests on late data.
 *   <li>It never counts towards clearing and never resolves: only new windows clear. Above or in
 *       the band, it restarts the clear count when it falls inside the current run of windows below
 *       the clear level, since that run was not, in fact, below.
 *   <li>It replaces an open alert's evidence only when it revises the window that evidence came
 *       from, or is a newer window above the raise level, so older evidence never hides newer.
 * </ul>
 *
 * <p>A window ending more than {@link LifecycleConfig#JUDGED_WITHIN} (24 h) before the newest one
 * is not judged nor stored: scoring revises windows only within that horizon, so such a score is a
 * replay, not news. The history keeps {@link LifecycleConfig#riskHistory()} (72 h) for the patient
 * view's trend.
 */
final class ScoreJudge {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreJudge.class);

  private final LifecycleConfig settings;
  private final TeamThresholdLookup thresholds;

  ScoreJudge(LifecycleConfig settings, TeamThresholdLookup thresholds) {
    this.settings = settings;
    this.thresholds = thresholds;
  }

  void onScore(Transitions t, RiskScore score, RiskScore judged, long now) {
    long windowEnd = score.getWindowEnd().toEpochMilli();
    if (judged != null && judged.getRevision() >= score.getRevision()) {
      LOG.debug(
          "risk score for {} at {} revision {} already judged at revision {}: ignored",
          t.patient,
          score.getWindowEnd(),
          score.getRevision(),
          judged.getRevision());
      return;
    }
    long previousWindowEnd = LastSeen.newestWindowEnd(t.seen);
    long newest = Math.max(windowEnd, previousWindowEnd);
    t.seen = new LastSeen(now, newest, now);
    StoppedReadings.onScoresResumed(t, now);
    long horizon = newest - LifecycleConfig.JUDGED_WITHIN.toMillis();
    if (windowEnd < horizon) {
      LOG.info(
          "risk score for {} at {} revision {} is more than 24 h older than the newest: not judged",
          t.patient,
          score.getWindowEnd(),
          score.getRevision());
      return;
    }
    t.keepInHistory(score);
    // Kept for the patient view's trend (72 h), never less than the judging horizon.
    t.forgetHistoryBefore(
        newest
            - Math.max(
                settings.riskHistory().toMillis(), LifecycleConfig.JUDGED_WITHIN.toMillis()));
    boolean newWindow = windowEnd > previousWindowEnd;
    if (!newWindow && !Evidence.isLate(score)) {
      LOG.debug(
          "late risk score for {} at {} kept for history only", t.patient, score.getWindowEnd());
      return;
    }
    String team = Routing.teamOf(t.context, settings.fallbackTeam());
    TeamPolicy policy = settings.policies().forTeam(t.key.getTenant(), team);
    Double budgetThreshold = budgetThreshold(t.key.getTenant(), team, policy);
    LstmThreshold judgedAgainst =
        policy.lstmThresholdFor(score.getLstmThreshold(), budgetThreshold);
    Map<AlertCause, Signal> signals = AlertPolicy.evaluate(score, policy, budgetThreshold);
    Map<AlertCause, Signal> before =
        judged == null ? null : AlertPolicy.evaluate(judged, policy, budgetThreshold);
    for (AlertCause cause : AlertPolicy.CLINICAL_CAUSES) {
      AlertState state = t.alert(cause);
      Signal signal = signals.get(cause);
      if (cause == AlertCause.NEWS2_MEDIUM && t.alert(AlertCause.NEWS2_HIGH) != null) {
        // One NEWS2 alarm at a time: the HIGH alert carries the evidence.
        if (state != null) {
          t.resolve(state, LifecycleConfig.SYSTEM_ACTOR, now, "superseded by a NEWS2_HIGH alert");
        }
        continue;
      }
      if (state == null) {
        boolean crossed = newWindow || before == null || before.get(cause) != Signal.ABOVE;
        if (signal == Signal.ABOVE && crossed) {
          t.raise(
              cause,
              AlertCategory.CLINICAL,
              team,
              policy,
              score,
              judgedAgainst,
              now,
              Evidence.isLate(score) ? Evidence.lateNote(score) : null);
        }
        continue;
      }
      if (newWindow) {
        judgeNewWindow(t, state, signal, score, judgedAgainst, policy, now);
      } else {
        judgeLateWindow(t, state, signal, score, judgedAgainst, policy);
      }
    }
  }

  /** A window newer than every window judged for the patient: the hysteresis moves. */
  private static void judgeNewWindow(
      Transitions t,
      AlertState state,
      Signal signal,
      RiskScore score,
      LstmThreshold judgedAgainst,
      TeamPolicy policy,
      long now) {
    long windowEnd = score.getWindowEnd().toEpochMilli();
    switch (signal) {
      case ABOVE -> {
        restartClearing(state);
        boolean returned = state.cleared;
        state.cleared = false;
        boolean changed = Evidence.changed(state, score) || returned;
        Evidence.set(state, score, judgedAgainst);
        if (returned) {
          t.emit(
              state,
              AlertEventType.UPDATED,
              LifecycleConfig.SYSTEM_ACTOR,
              windowEnd,
              "condition returned above the alert level while latched");
        } else if (changed) {
          t.emit(
              state,
              AlertEventType.UPDATED,
              LifecycleConfig.SYSTEM_ACTOR,
              windowEnd,
              Evidence.isLate(score) ? Evidence.lateNote(score) : null);
        }
      }
      case BAND -> restartClearing(state);
      case BELOW -> {
        if (state.cleared) {
          return; // latched: stays as it is until acknowledged
        }
        if (state.clearCount == 0) {
          state.clearFrom = windowEnd;
        }
        state.clearCount++;
        if (state.clearCount >= policy.clearWindows()) {
          Evidence.set(state, score, judgedAgainst);
          String cleared = "condition cleared for " + state.clearCount + " consecutive windows";
          if (state.status != AlertStatus.OPEN) {
            t.resolve(state, LifecycleConfig.SYSTEM_ACTOR, now, cleared);
          } else if (latches(state)) {
            // IEC 60601-1-8 latching: a HIGH alarm nobody acknowledged stays until someone does.
            state.cleared = true;
            t.emit(
                state,
                AlertEventType.UPDATED,
                LifecycleConfig.SYSTEM_ACTOR,
                windowEnd,
                cleared + " before anyone acknowledged: latched until acknowledged");
          } else {
            state.cleared = true;
            t.resolve(
                state,
                LifecycleConfig.SYSTEM_ACTOR,
                now,
                cleared + " by itself, never acknowledged");
          }
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
  private static void judgeLateWindow(
      Transitions t,
      AlertState state,
      Signal signal,
      RiskScore score,
      LstmThreshold judgedAgainst,
      TeamPolicy policy) {
    if (signal == Signal.UNKNOWN) {
      return;
    }
    long windowEnd = score.getWindowEnd().toEpochMilli();
    boolean revisesEvidence = windowEnd == state.windowEnd;
    boolean newerEvidence = windowEnd > state.windowEnd && signal == Signal.ABOVE;
    boolean changed = false;
    if (revisesEvidence || newerEvidence) {
      changed = Evidence.changed(state, score);
      Evidence.set(state, score, judgedAgainst);
    }
    if (signal != Signal.BELOW && state.clearCount > 0 && windowEnd >= state.clearFrom) {
      restartClearing(state);
    }
    if (changed) {
      String note = Evidence.lateNote(score);
      if (signal != Signal.ABOVE) {
        note +=
            "; revised below the alert level: the alert stays open until "
                + policy.clearWindows()
                + " new windows are below its clear level or a nurse resolves it";
      }
      t.emit(state, AlertEventType.UPDATED, LifecycleConfig.SYSTEM_ACTOR, windowEnd, note);
    }
  }

  /** A HIGH clinical alert latches: it stays until acknowledged even when its condition clears. */
  static boolean latches(AlertState state) {
    return state.priority == AlertPriority.HIGH && state.category == AlertCategory.CLINICAL;
  }

  private static void restartClearing(AlertState state) {
    state.clearCount = 0;
    state.clearFrom = 0;
  }

  /**
   * The threshold the team's alert budget has derived, when the team has a budget and its budget is
   * past warm-up (source BUDGET); null otherwise, so the model's threshold is used.
   */
  private Double budgetThreshold(String tenant, String team, TeamPolicy policy) {
    if (policy.budget() == null) {
      return null;
    }
    TeamThreshold th = thresholds.find(TeamKeys.of(tenant, team));
    return th == null || th.getSource() != LstmThresholdSource.BUDGET ? null : th.getThreshold();
  }
}
