package io.vigil.alerts.policy;

import java.util.Map;

/** The policy of every care team: a team's own settings, else the defaults. */
public record PolicyBook(TeamPolicy defaults, Map<String, TeamPolicy> teams) {
  public PolicyBook {
    teams = Map.copyOf(teams);
  }

  public static PolicyBook of(TeamPolicy defaults) {
    return new PolicyBook(defaults, Map.of());
  }

  public TeamPolicy forTeam(String team) {
    return team == null ? defaults : teams.getOrDefault(team, defaults);
  }
}
