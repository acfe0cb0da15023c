package io.vigil.alerts.policy;

import io.vigil.kit.access.TeamKeys;
import java.util.Map;

/**
 * The policy of every care team: a team's own settings, else the defaults. Teams are keyed {@code
 * tenant/team} ({@link TeamKeys}), so two tenants' teams of the same name have their own policies.
 */
public record PolicyBook(TeamPolicy defaults, Map<String, TeamPolicy> teams) {
  public PolicyBook {
    teams = Map.copyOf(teams);
  }

  public static PolicyBook of(TeamPolicy defaults) {
    return new PolicyBook(defaults, Map.of());
  }

  /** The policy of the team with this {@code tenant/team} key. */
  public TeamPolicy forTeam(String teamKey) {
    return teamKey == null ? defaults : teams.getOrDefault(teamKey, defaults);
  }

  /** The policy of {@code team} of {@code tenant}. */
  public TeamPolicy forTeam(String tenant, String team) {
    return team == null ? defaults : forTeam(TeamKeys.of(tenant, team));
  }
}
