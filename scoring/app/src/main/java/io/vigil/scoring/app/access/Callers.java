package io.vigil.scoring.app.access;

import io.micronaut.security.authentication.Authentication;
import io.vigil.schemas.access.ApiKeyPrincipal;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Micronaut Security's {@link Authentication} into a {@link Caller}. A session's teams come
 * from its teams claim: a bare team name is a team of the tenant claim (or of the default tenant
 * when there is none), as alerts reads the same token; a user who is not an {@value #OPERATOR_ROLE}
 * and holds teams of several tenants is given no team at all.
 */
@Singleton
public final class Callers {
  /** Role of an operator: may hold teams of several tenants, each named explicitly. */
  public static final String OPERATOR_ROLE = "OPERATOR";

  private static final Logger LOG = LoggerFactory.getLogger(Callers.class);
  private final AccessConfig settings;

  public Callers(AccessConfig settings) {
    this.settings = settings;
  }

  public Caller of(Authentication auth) {
    if (auth.getAttributes().get(ApiKeyTokenValidator.PRINCIPAL) instanceof ApiKeyPrincipal p) {
      return new Caller.ApiKey(p);
    }
    return new Caller.User(auth.getName(), teams(auth));
  }

  private Set<String> teams(Authentication auth) {
    Object value = auth.getAttributes().get(settings.teamsClaim());
    List<String> written;
    if (value instanceof Collection<?> c) {
      written = c.stream().map(Object::toString).toList();
    } else if (value instanceof String s && !s.isBlank()) {
      written = List.of(s.split("\\s*,\\s*"));
    } else {
      return Set.of();
    }
    Object claimed = auth.getAttributes().get(settings.tenantClaim());
    String tenant =
        claimed instanceof String t && !t.isBlank() && !t.contains("/")
            ? t
            : settings.defaultTenant();
    Set<String> teams =
        written.stream()
            .filter(t -> !t.isBlank())
            .map(t -> TeamKeys.qualify(t, tenant))
            .collect(Collectors.toUnmodifiableSet());
    if (!auth.getRoles().contains(OPERATOR_ROLE) && TeamKeys.tenantsOf(teams).size() > 1) {
      LOG.warn(
          "user {} is not an operator but holds teams of several tenants: none granted",
          auth.getName());
      return Set.of();
    }
    return teams;
  }
}
