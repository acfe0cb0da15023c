package io.vigil.kit.access;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A care team's identity across tenants: {@code tenant/team}. Team names are chosen by each tenant
 * (a telemedicine platform or hospital), so two tenants may both have a {@code ward-1}; only the
 * pair names one team. The tenant of a patient's team is always the patient key's tenant, never
 * something a record claims.
 */
public final class TeamKeys {
  private TeamKeys() {}

  /**
   * {@code tenant/team}, the team name trimmed.
   *
   * @throws IllegalArgumentException when the tenant is blank or holds {@code /}, or the team is
   *     blank
   */
  public static String of(String tenant, String team) {
    if (tenant == null || tenant.isBlank() || tenant.contains("/")) {
      throw new IllegalArgumentException("tenant must be non-blank without '/': " + tenant);
    }
    if (team == null || team.isBlank()) {
      throw new IllegalArgumentException("care team must be non-blank");
    }
    return tenant + "/" + team.trim();
  }

  /** The tenant of a {@code tenant/team} key; empty when the text names no tenant. */
  public static Optional<String> tenantOf(String teamKey) {
    int slash = teamKey == null ? -1 : teamKey.indexOf('/');
    return slash <= 0 || slash == teamKey.length() - 1
        ? Optional.empty()
        : Optional.of(teamKey.substring(0, slash));
  }

  /**
   * A team as written in configuration, a users file or a session's claim: {@code tenant/team} as
   * is, a bare team name as a team of {@code defaultTenant}.
   */
  public static String qualify(String written, String defaultTenant) {
    String team = written.trim();
    return tenantOf(team).isPresent() ? team : of(defaultTenant, team);
  }

  /** The tenants of {@code tenant/team} keys, sorted; keys naming no tenant are left out. */
  public static Set<String> tenantsOf(Iterable<String> teamKeys) {
    return byTenant(teamKeys).keySet();
  }

  /**
   * {@code tenant/team} keys grouped by tenant, each with its bare team names, both sorted; keys
   * naming no tenant are left out.
   */
  public static Map<String, TreeSet<String>> byTenant(Iterable<String> teamKeys) {
    Map<String, TreeSet<String>> teams = new TreeMap<>();
    for (String key : teamKeys) {
      tenantOf(key)
          .ifPresent(
              t ->
                  teams
                      .computeIfAbsent(t, k -> new TreeSet<>())
                      .add(key.substring(t.length() + 1)));
    }
    return teams;
  }
}
