package io.vigil.kit.access;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The care teams a signed-in user's session grants, as {@code tenant/team} keys, read from its
 * claims the same way by every service that accepts the session (alerts signs it, scoring reads
 * it). The teams claim is a list of teams or one comma-separated string. A bare team name is a team
 * of the tenant claim, or of {@code defaultTenant} when the session names no tenant (or a blank
 * one, or one holding {@code /}). A nurse belongs to one tenant: a user who is not an {@value
 * #OPERATOR_ROLE} and holds teams of several tenants is granted no team at all.
 *
 * @param teamsClaim the claim listing the user's care teams
 * @param tenantClaim the claim naming the user's tenant
 * @param defaultTenant the tenant of bare team names in a session without a tenant claim
 */
public record TeamClaims(String teamsClaim, String tenantClaim, String defaultTenant) {
  /** Role of an operator: may hold teams of several tenants, each named explicitly. */
  public static final String OPERATOR_ROLE = "OPERATOR";

  private static final Logger LOG = LoggerFactory.getLogger(TeamClaims.class);

  /**
   * The teams granted to {@code user}, whose session carries {@code claims} and {@code roles};
   * empty when the session names none or is refused them.
   */
  public Set<String> teams(String user, Map<String, Object> claims, Collection<String> roles) {
    List<String> written = written(claims.get(teamsClaim));
    Object claimed = claims.get(tenantClaim);
    String tenant =
        claimed instanceof String t && !t.isBlank() && !t.contains("/") ? t : defaultTenant;
    Set<String> teams =
        written.stream()
            .filter(t -> !t.isBlank())
            .map(t -> TeamKeys.qualify(t, tenant))
            .collect(Collectors.toUnmodifiableSet());
    if (!roles.contains(OPERATOR_ROLE) && TeamKeys.tenantsOf(teams).size() > 1) {
      LOG.warn(
          "user {} is not an operator but holds teams of tenants {}: no team granted",
          user,
          TeamKeys.tenantsOf(teams));
      return Set.of();
    }
    return teams;
  }

  private static List<String> written(Object claim) {
    if (claim instanceof Collection<?> c) {
      return c.stream().map(Object::toString).toList();
    }
    if (claim instanceof String s && !s.isBlank()) {
      return List.of(s.split("\\s*,\\s*"));
    }
    return List.of();
  }
}
