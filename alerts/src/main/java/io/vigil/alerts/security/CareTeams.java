package io.vigil.alerts.security;

import io.micronaut.security.authentication.Authentication;
import io.vigil.alerts.config.AlertsConfig;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The care teams of the signed-in nurse, from the token's teams claim (local logins put it there; a
 * hospital's identity provider must issue it, see the README).
 */
@Singleton
public final class CareTeams {
  private final String claim;

  public CareTeams(AlertsConfig config) {
    this.claim = config.teamsClaim();
  }

  public Set<String> of(Authentication auth) {
    Object value = auth.getAttributes().get(claim);
    if (value instanceof Collection<?> c) {
      return c.stream().map(Object::toString).collect(Collectors.toUnmodifiableSet());
    }
    if (value instanceof String s && !s.isBlank()) {
      return Set.copyOf(List.of(s.split("\\s*,\\s*")));
    }
    return Set.of();
  }
}
