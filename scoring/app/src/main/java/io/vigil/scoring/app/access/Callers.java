package io.vigil.scoring.app.access;

import io.micronaut.security.authentication.Authentication;
import io.vigil.kit.access.TeamClaims;
import io.vigil.schemas.access.ApiKeyPrincipal;
import jakarta.inject.Singleton;

/**
 * Turns Micronaut Security's {@link Authentication} into a {@link Caller}. A session's teams are
 * read from its claims by the service kit's {@link TeamClaims}, as alerts reads the same token: a
 * bare team name is a team of the tenant claim (or of the default tenant when there is none); a
 * user who is not an operator and holds teams of several tenants is given no team at all.
 */
@Singleton
public final class Callers {
  private final TeamClaims claims;

  public Callers(AccessConfig settings) {
    this.claims =
        new TeamClaims(settings.teamsClaim(), settings.tenantClaim(), settings.defaultTenant());
  }

  public Caller of(Authentication auth) {
    if (auth.getAttributes().get(ApiKeyTokenValidator.PRINCIPAL) instanceof ApiKeyPrincipal p) {
      return new Caller.ApiKey(p);
    }
    return new Caller.User(
        auth.getName(), claims.teams(auth.getName(), auth.getAttributes(), auth.getRoles()));
  }
}
