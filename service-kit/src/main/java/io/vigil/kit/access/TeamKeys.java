package io.vigil.kit.access;

import java.util.Set;
import java.util.TreeSet;

/**
 * Care teams as {@code tenant/team}: team names are chosen by each tenant (a telemedicine platform
 * or hospital), so two tenants may both have a {@code ward-1}; only the pair names one team.
 */
public final class TeamKeys {
  private TeamKeys() {}

  /** {@code tenant/team}, the team name trimmed. */
  public static String of(String tenant, String team) {
    return tenant + "/" + team.trim();
  }

  /** A team as written in a claim: {@code tenant/team} as is, a bare name as {@code tenant}'s. */
  public static String qualify(String written, String tenant) {
    String team = written.trim();
    int slash = team.indexOf('/');
    return slash > 0 && slash < team.length() - 1 ? team : of(tenant, team);
  }

  /** The tenants of {@code tenant/team} keys, sorted. */
  public static Set<String> tenantsOf(Set<String> teams) {
    Set<String> out = new TreeSet<>();
    for (String t : teams) {
      int slash = t.indexOf('/');
      if (slash > 0) {
        out.add(t.substring(0, slash));
      }
    }
    return out;
  }
}
