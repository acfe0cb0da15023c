package io.vigil.alerts.security;

import io.micronaut.security.authentication.Authentication;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.kit.access.TeamClaims;
import io.vigil.kit.access.TeamKeys;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * The care teams of the signed-in user as {@code tenant/team} keys, from the token's teams claim
 * (local logins put it there; a hospital's identity provider must issue it, see the README), read
 * by the service kit's {@link TeamClaims} as scoring reads the same token. A bare team name in the
 * claim is a team of the token's tenant claim, or of the default tenant when the token has none. A
 * nurse belongs to one tenant: a nurse token whose teams span tenants is given no team at all. Only
 * the {@value #OPERATOR_ROLE} role may hold teams of several tenants.
 */
@Singleton
public final class CareTeams {
  /** Role of a nurse: teams of one tenant. */
  public static final String NURSE_ROLE = "NURSE";

  /** Role of an operator: may hold teams of several tenants, each named explicitly. */
  public static final String OPERATOR_ROLE = TeamClaims.OPERATOR_ROLE;

  private final TeamClaims claims;

  public CareTeams(AlertsConfig config) {
    this.claims =
        new TeamClaims(
            config.security().teamsClaim(),
            config.security().tenantClaim(),
            config.defaultTenant());
  }

  /** The user's teams, {@code tenant/team}. */
  public Set<String> of(Authentication auth) {
    return claims.teams(auth.getName(), auth.getAttributes(), auth.getRoles());
  }

  /** The tenants of the user's teams. */
  public Set<String> tenantsOf(Authentication auth) {
    return TeamKeys.tenantsOf(of(auth));
  }
}
