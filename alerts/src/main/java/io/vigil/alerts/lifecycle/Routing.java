package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.patients.PatientContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which care team a patient's alerts go to, and moving them when the patient's team changes. */
final class Routing {
  private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

  private Routing() {}

  /**
   * The patient's care team as its tenant names it: the first team of its context, else the
   * fallback team. Either is a team of the patient's own tenant: a patient without context of
   * tenant A goes to A's fallback team, never to another tenant's.
   */
  static String teamOf(PatientContext context, String fallbackTeam) {
    if (context == null || context.getCareTeams().isEmpty()) {
      return fallbackTeam;
    }
    return context.getCareTeams().get(0);
  }

  /**
   * Takes the patient's new context and moves their open alerts to the care team it now names. A
   * score can be judged before the patient's first context (both arrive on their own topics; with
   * equal event times either may come first), and a patient moves between teams: in both cases the
   * alert belongs to the team that now has the patient, so that team is notified (a NOTIFIED event
   * carrying the new team, which the view, the live streams and the team's webhook follow). The
   * alert keeps its status, tier and escalation deadline: nothing already done for it is undone. An
   * alert that a team's webhook could not be reached stays with that team, whose pager it is about.
   */
  static void onContext(Transitions t, PatientContext context, String fallbackTeam, long now) {
    t.context = context;
    String team = teamOf(context, fallbackTeam);
    for (AlertCause cause : AlertCause.values()) {
      if (cause == AlertCause.DELIVERY_FAILED) {
        continue;
      }
      AlertState state = t.alert(cause);
      if (state == null || team.equals(state.careTeam)) {
        continue;
      }
      String from = state.careTeam;
      state.careTeam = team;
      t.notify(
          state,
          now,
          Escalation.TIER_NAMES[state.tier]
              + " "
              + team
              + " notified: the patient's care team is now "
              + team
              + " (was "
              + from
              + ")");
      LOG.info("alert {} of {} moved from team {} to {}", state.alertId, t.patient, from, team);
    }
  }
}
