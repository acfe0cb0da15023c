package io.vigil.alerts.security;

import io.micronaut.security.authentication.Authentication;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.tenancy.TeamKeys;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The care teams of the signed-in user as {@code tenant/team} keys, from the token's teams claim
 * (local logins put it there; a hospital's identity provider must issue it, see the README). A bare
 * team name in the claim is a team of the token's tenant claim, or of the default tenant when the
 * token has none. A nurse belongs to one tenant: a nurse token whose teams span tenants is given no
 * team at all. Only the {@value #OPERATOR_ROLE} role may hold teams of several tenants.
 */
@Singleton
public final class CareTeams {
  /** Role of a nurse: teams of one tenant. */
  public static final String NURSE_ROLE = "NURSE";

  /** Role of an operator: may hold teams of several tenants, each named explicitly. */
  public static final String OPERATOR_ROLE = "OPERATOR";

  private static final Logger LOG = LoggerFactory.getLogger(CareTeams.class);
  private final String claim;
  private final String tenantClaim;
  private final String defaultTenant;

  public CareTeams(AlertsConfig config) {
    this.claim = config.security().teamsClaim();
    this.tenantClaim = config.security().tenantClaim();
    this.defaultTenant = config.defaultTenant();
  }

  /** The user's teams, {@code tenant/team}. */
  public Set<String> of(Authentication auth) {
    Object value = auth.getAttributes().get(claim);
    List<String> written;
    if (value instanceof Collection<?> c) {
      written = c.stream().map(Object::toString).toList();
    } else if (value instanceof String s && !s.isBlank()) {
      written = List.of(s.split("\\s*,\\s*"));
    } else {
      return Set.of();
    }
    Object claimed = auth.getAttributes().get(tenantClaim);
    String tenant =
        claimed instanceof String t && !t.isBlank() && !t.contains("/") ? t : defaultTenant;
    Set<String> teams;
    try {
      teams =
          written.stream()
              .filter(t -> !t.isBlank())
              .map(t -> TeamKeys.qualify(t, tenant))
              .collect(Collectors.toUnmodifiableSet());
    } catch (IllegalArgumentException e) {
      LOG.warn("user {} has a malformed care team claim: no team granted", auth.getName());
      return Set.of();
    }
    if (!auth.getRoles().contains(OPERATOR_ROLE) && tenantsOf(teams).size() > 1) {
      LOG.warn(
          "user {} is not an operator but holds teams of tenants {}: no team granted",
          auth.getName(),
          tenantsOf(teams));
      return Set.of();
    }
    return teams;
  }

  /** The tenants of the user's teams. */
  public Set<String> tenantsOf(Authentication auth) {
    return tenantsOf(of(auth));
  }

  private static Set<String> tenantsOf(Set<String> teams) {
    Set<String> out = new TreeSet<>();
    teams.forEach(t -> TeamKeys.tenantOf(t).ifPresent(out::add));
    return out;
  }
}
